"""What the inventory collectors cost, measured in one run: the organisation of the issue (100
datasources, 30 workspaces, 50 data apps of 10 embeds, 100 datamarts) served by the simulator, and
one exporter (as uid 65532 when run as root) per collector set, polling it.

For each set: requests per poll (the simulator's own counts), the poll's wall time (the sum of
databrain_collector_duration_seconds, median of polls every 500 ms; health probes off, so only
the lists count), CPU per poll (/proc/PID/stat over the polling window), the exposition's size and
series, and idle RSS (a fresh process after its first poll). Then /metrics throughput with every
collector on beside the datasources collector alone, each next to nginx serving its exact bytes,
interleaved rounds. Prints a Markdown section; --json writes the figures.

Usage: inventory.py --exporter BIN --simulator BIN [--polls 20] [--repeat 3] [--wrk-seconds 3]
"""
import argparse
import json
import pathlib
import statistics
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from scrapes import median_run, wrk  # noqa: E402
from systems import SERVICE_USER_PREFIX, Server, cpu_seconds, get, nginx, simulator, wait_until  # noqa: E402

ORGANISATION = {"datasources": 100, "workspaces": 30, "data_apps": 50, "embeds": 10, "datamarts": 100}
INVENTORY = ("workspaces", "data_apps", "datamarts")
SETS = [("datasources only", ()), ("datasources + workspaces", ("workspaces",)), ("datasources + data_apps", ("data_apps",)),
        ("datasources + datamarts", ("datamarts",)), ("every collector", INVENTORY)]


def control(sim, method, path):
    urllib.request.urlopen(urllib.request.Request(sim.base + path, method=method, data=b""), timeout=10).read()


def stats(sim):
    return json.loads(get(sim.base + "/_sim/stats"))


def series(body, name, **labels):
    """The value of the first sample of `name` whose labels include `labels`."""
    for line in body.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def exporter(binary, sim, token_file, collectors, interval, paginate, off=None):
    off = off if off is not None else [f"--no-collector.{name}" for name in INVENTORY if name not in collectors]
    command = SERVICE_USER_PREFIX + [
        binary, "--databrain.url", sim.base, "--databrain.token-file", token_file, "--databrain.target-name", "sim",
        "--web.listen-address", "127.0.0.1:0", "--poll.interval", interval, "--poll.timeout", "400ms" if interval != "1h" else "30s",
        "--no-databrain.health", "--databrain.requests-per-minute", "1000000"] + off + (["--databrain.paginate"] if paginate else [])
    server = Server("databrain_exporter", command, port_pattern=r"listening address=127\.0\.0\.1:(\d+)", ready_path="/-/healthy")
    wait_until("the exporter's first poll", lambda: get(server.base + "/-/ready"), prefix="bench")
    return server


def measure_polls(args, sim, token_file, collectors, paginate):
    """Wall per poll (scraped after each poll), then requests and CPU per poll over a window with
    no scrapes at all (a scrape costs CPU too)."""
    ours = exporter(args.exporter, sim, token_file, collectors, "500ms", paginate)
    names = ("datasources",) + collectors
    walls, seen = [], None
    deadline = time.monotonic() + 120
    while len(walls) < args.polls and time.monotonic() < deadline:
        body = get(ours.base + "/metrics")
        polls = series(body, "databrain_polls_total", target="sim")
        if polls != seen and polls is not None and seen is not None:
            if all(series(body, "databrain_collector_up", collector=n) == 1 for n in names):
                walls.append(sum(series(body, "databrain_collector_duration_seconds", collector=n) for n in names))
        seen = polls
        time.sleep(0.05)
    start_stats, start_cpu = stats(sim), cpu_seconds(ours.process.pid)
    start_polls = series(get(ours.base + "/metrics"), "databrain_polls_total", target="sim")
    time.sleep(args.cpu_seconds)
    end_polls = series(get(ours.base + "/metrics"), "databrain_polls_total", target="sim")
    end_stats, end_cpu = stats(sim), cpu_seconds(ours.process.pid)
    body = get(ours.base + "/metrics")
    ours.stop()
    polled = end_polls - start_polls
    lists = ("datasource", "workspace", "data_app", "datamart")
    requests = sum(end_stats["list_requests"].get(k, 0) - start_stats["list_requests"].get(k, 0) for k in lists) / polled
    return {"requests_per_poll": round(requests, 2), "wall_ms": statistics.median(walls) * 1000,
            "cpu_ms": (end_cpu - start_cpu) * 1000 / polled, "polls": int(polled),
            "exposition_bytes": len(body.encode()),
            "samples": sum(1 for line in body.splitlines() if line and not line.startswith("#"))}


def idle_rss(args, sim, token_file, collectors):
    ours = exporter(args.exporter, sim, token_file, collectors, "1h", False)
    time.sleep(1)
    rss, body = ours.rss(), get(ours.base + "/metrics")
    ours.stop()
    return rss, body


def throughput(args, bodies, servers):
    """wrk against each exporter and nginx serving its exact bytes, rounds interleaved."""
    runs = {name: {"plain": [], "gzip": []} for name in servers}
    for _ in range(args.repeat):
        for name, server in servers.items():
            runs[name]["plain"].append(wrk(server.base + "/metrics", args))
            runs[name]["gzip"].append(wrk(server.base + "/metrics", args, gzip_wanted=True))
    return {name: {mode: median_run(results) for mode, results in modes.items()} for name, modes in runs.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--simulator", required=True)
    parser.add_argument("--polls", type=int, default=20)
    parser.add_argument("--cpu-seconds", type=float, default=10, help="the window, without scrapes, for CPU and requests per poll")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--wrk-seconds", type=int, default=3)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--wrk-connections", type=int, default=16)
    parser.add_argument("--reference", help="an older build, datasources only (today's figure), measured beside in the same run")
    parser.add_argument("--reference-label", default="reference")
    parser.add_argument("--json")
    args = parser.parse_args()

    sim = simulator(args.simulator, ORGANISATION["datasources"])
    control(sim, "PUT", f"/_sim/workspaces?count={ORGANISATION['workspaces']}")
    control(sim, "PUT", f"/_sim/data_apps?count={ORGANISATION['data_apps']}&embeds={ORGANISATION['embeds']}")
    control(sim, "PUT", f"/_sim/datamarts?count={ORGANISATION['datamarts']}")
    with tempfile.TemporaryDirectory() as scratch:
        directory = pathlib.Path(scratch)
        directory.chmod(0o755)
        token_file = directory / "token"
        token_file.write_text("bench-token\n")
        token_file.chmod(0o644)
        results = {"organisation": ORGANISATION, "sets": {}}
        bodies = {}
        for label, collectors in SETS:
            row = measure_polls(args, sim, str(token_file), collectors, paginate=False)
            row["paginated"] = measure_polls(args, sim, str(token_file), collectors, paginate=True)
            row["idle_rss_mib"], bodies[label] = idle_rss(args, sim, str(token_file), collectors)
            results["sets"][label] = row
            print(f"  {label:<26} {row['requests_per_poll']:>5} req/poll  wall {row['wall_ms']:6.1f} ms  cpu {row['cpu_ms']:6.1f} ms"
                  f"  paginated {row['paginated']['requests_per_poll']:>5} req {row['paginated']['wall_ms']:6.1f} ms"
                  f"  {row['samples']:>5} samples {row['exposition_bytes'] / 1024:6.1f} KiB  idle {row['idle_rss_mib']:.1f} MiB", flush=True)

        # Scrapes: every collector against the datasources collector alone, each beside nginx.
        servers = {}
        for label, collectors in (SETS[0], SETS[-1]):
            ours = exporter(args.exporter, sim, str(token_file), collectors, "1h", False)
            body = get(ours.base + "/metrics")
            static = directory / label.replace(" ", "-")
            static.mkdir()
            servers[f"{label}: databrain_exporter"] = ours
            servers[f"{label}: nginx"] = nginx(static, body)
            get(ours.base + "/metrics")
        if args.reference:
            # Before the inventory collectors: its only optional collector was workspaces.
            ref = exporter(args.reference, sim, str(token_file), (), "1h", False, off=["--no-collector.workspaces"])
            body = get(ref.base + "/metrics")
            static = directory / "reference"
            static.mkdir()
            servers[f"{args.reference_label}: databrain_exporter"] = ref
            servers[f"{args.reference_label}: nginx"] = nginx(static, body)
            results["reference"] = {"label": args.reference_label, "exposition_bytes": len(body.encode())}
        scrape = throughput(args, bodies, servers)
        for server in servers.values():
            server.stop()
        sim.stop()
        for label, _ in (SETS[0], SETS[-1]):
            ours, ref = scrape[f"{label}: databrain_exporter"], scrape[f"{label}: nginx"]
            results["sets"][label]["scrape"] = {
                "rps": ours["plain"]["rps"], "p99_ms": ours["plain"]["p99_ms"], "nginx_rps": ref["plain"]["rps"],
                "gzip_rps": ours["gzip"]["rps"], "nginx_gzip_rps": ref["gzip"]["rps"],
                "ratio": ours["plain"]["rps"] / ref["plain"]["rps"], "gzip_ratio": ours["gzip"]["rps"] / ref["gzip"]["rps"]}
            s = results["sets"][label]["scrape"]
            print(f"  scrape {label:<18} {s['rps']:>9.0f} req/s vs nginx {s['nginx_rps']:>9.0f} ({s['ratio']:.2f}x)"
                  f"  gzip {s['gzip_rps']:>9.0f} vs {s['nginx_gzip_rps']:>9.0f} ({s['gzip_ratio']:.2f}x)", flush=True)
    if args.reference:
        ours, ref = scrape[f"{args.reference_label}: databrain_exporter"], scrape[f"{args.reference_label}: nginx"]
        results["reference"]["scrape"] = {
            "rps": ours["plain"]["rps"], "p99_ms": ours["plain"]["p99_ms"], "nginx_rps": ref["plain"]["rps"],
            "gzip_rps": ours["gzip"]["rps"], "nginx_gzip_rps": ref["gzip"]["rps"],
            "ratio": ours["plain"]["rps"] / ref["plain"]["rps"], "gzip_ratio": ours["gzip"]["rps"] / ref["gzip"]["rps"]}
        s = results["reference"]["scrape"]
        print(f"  scrape {args.reference_label:<18} {s['rps']:>9.0f} req/s vs nginx {s['nginx_rps']:>9.0f} ({s['ratio']:.2f}x)"
              f"  gzip {s['gzip_rps']:>9.0f} vs {s['nginx_gzip_rps']:>9.0f} ({s['gzip_ratio']:.2f}x)", flush=True)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
