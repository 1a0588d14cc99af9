#!/usr/bin/env python3
"""At 1,000 targets, with the defaults: what a new user gets who points one exporter at 1,000
organisations on one Databrain instance and changes nothing but the interval (5 s) and timeout (2 s).
Health probes on (the default), one list per poll (the inventory collectors off), a budget large enough, the exporter as uid 65532.

  healthy   nginx serving a list of 25 datasources and the two health documents
  hung      the simulator accepting every request and never answering
  mixed     one healthy target among 999 hung ones (their health probes hang too)

Per case: threads, RSS, the exporter's CPU over the window (% of one core), the healthy targets'
share of their scheduled polls and the API requests per second the exporter made.

Then one scrape's CPU at 1,000 healthy targets: the exporter's CPU over a window with N sequential
scrapes of /metrics, minus its CPU over a window of the same length without scrapes (polling goes
on in both), divided by N, over windows of a few seconds; plain text and gzip, interleaved. Every build is measured in the same
run, case by case, so the table compares like with like on a shared machine.

  python3 Benchmarks/defaults.py --exporter NEW --simulator SIM [--reference OLD --reference-label TEXT]

Prints Markdown tables and writes Benchmarks/results/defaults.json.
"""
import http.client
import json
import os
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
from harness import SERVICE_USER_PREFIX, get, wait_until  # noqa: E402
from scale import INTERVAL, TIMEOUT, build_arguments, builds, poll_share, scrape, threads, token_file  # noqa: E402
from systems import Server, cpu_seconds, nginx_serving, simulator  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
CASES = ("healthy", "hung", "mixed")
LIVE = '{"status":"live"}'
READY = '{"checks":{"hasura":{"status":"UP","statusCode":200},"keycloak":{"status":"UP","statusCode":200}},"status":"ready"}'


def nginx_api(directory, datasources):
    """nginx answering the datasource list and both health documents, kept alive."""
    (directory / "datasource.json").write_text(json.dumps({"data": [{"name": f"datasource-{i + 1}"} for i in range(datasources)]}))
    (directory / "live.json").write_text(LIVE)
    (directory / "ready.json").write_text(READY)
    locations = "".join(f"location = {path} {{ default_type application/json; alias {directory}/{file}; }}\n"
                        for path, file in (("/api/v2/datasource", "datasource.json"), ("/health/live", "live.json"),
                                           ("/health/ready", "ready.json")))
    return nginx_serving(directory, locations, ready_path="/api/v2/datasource", workers=1, connections=4096)


def start_exporter(binary, targets, directory, token_file, interval=INTERVAL):
    """The exporter with the defaults but interval, timeout and a budget that fits the schedule."""
    config = directory / "targets.yml"
    config.write_text("targets:\n" + "".join(f"  - name: {name}\n    url: {url}\n    token_file: {token_file}\n" for name, url in targets))
    os.chmod(config, 0o644)
    command = SERVICE_USER_PREFIX + [binary, "--config.file", str(config), "--web.listen-address", "127.0.0.1:0",
                                     "--poll.interval", f"{interval:g}s", "--poll.timeout", f"{TIMEOUT:g}s",
                                     "--databrain.requests-per-minute", "1000000",
                                     # One list per poll: nginx serves the datasource list only.
                                     "--no-collector.workspaces", "--no-collector.data_apps", "--no-collector.datamarts"]
    return Server("databrain_exporter", command, port_pattern=r"listening address=127\.0\.0\.1:(\d+)", ready_path="/-/healthy")


def requests_made(series):
    return sum(series.get("databrain_api_requests_total", {}).values())


def measure(binary, case, count, healthy_url, hung_url, token_file, warmup, window):
    if case == "healthy":
        targets = [(f"t-{i}", healthy_url) for i in range(count)]
    elif case == "hung":
        targets = [(f"t-{i}", hung_url) for i in range(count)]
    else:
        targets = [("t-healthy", healthy_url)] + [(f"t-{i}", hung_url) for i in range(count - 1)]
    healthy = [name for name, url in targets if url == healthy_url]
    with tempfile.TemporaryDirectory() as scratch:
        directory = pathlib.Path(scratch)
        os.chmod(directory, 0o755)
        exporter = start_exporter(binary, targets, directory, token_file)
        try:
            began = time.monotonic()
            wait_until("every target's first poll", lambda: get(exporter.base + "/-/ready"), timeout=600, every=0.5, prefix="defaults")
            ready_s = time.monotonic() - began
            time.sleep(warmup)
            pid = exporter.process.pid
            most = threads(pid)
            before, cpu_before, started = scrape(exporter), cpu_seconds(pid), time.monotonic()
            while time.monotonic() - started < window:
                most = max(most, threads(pid))
                time.sleep(0.5)
            after, cpu_after, elapsed = scrape(exporter), cpu_seconds(pid), time.monotonic() - started
            shares = [poll_share(before, after, name) for name in healthy]
            return {"case": case, "targets": count, "ready_s": round(ready_s, 1), "threads": most, "rss_mib": round(exporter.rss(), 1),
                    "cpu_percent": round(100 * (cpu_after - cpu_before) / elapsed, 1),
                    "healthy_share_mean": round(statistics.mean(shares), 3) if shares else None,
                    "healthy_share_min": round(min(shares), 3) if shares else None}
        finally:
            exporter.stop()


def scrape_cpu(binary, count, healthy_url, token_file, warmup, scrape_seconds, rounds, interval=INTERVAL):
    """CPU per scrape at `count` healthy targets: (window with scrapes - window without) / scrapes.
    With the 5 s interval 200 polls a second land among the scrapes; with 1 h none does, so a
    scrape costs only the bytes it sends: the difference is what the changes cost."""
    with tempfile.TemporaryDirectory() as scratch:
        directory = pathlib.Path(scratch)
        os.chmod(directory, 0o755)
        exporter = start_exporter(binary, [(f"t-{i}", healthy_url) for i in range(count)], directory, token_file, interval)
        try:
            wait_until("every target's first poll", lambda: get(exporter.base + "/-/ready"), timeout=600, every=0.5, prefix="defaults")
            time.sleep(warmup)
            pid = exporter.process.pid
            host, port = exporter.base.split("//")[1].split(":")
            connection = http.client.HTTPConnection(host, int(port), timeout=60)
            results = {"plain": [], "gzip": []}
            sizes = {}
            for _ in range(rounds):
                for kind in ("plain", "gzip"):
                    headers = {"Accept-Encoding": "gzip"} if kind == "gzip" else {}
                    # Sequential scrapes for `scrape_seconds`: /proc counts CPU in 10 ms ticks,
                    # so a window must hold hundreds of them to resolve a fraction of a millisecond.
                    cpu, begin, made = cpu_seconds(pid), time.monotonic(), 0
                    while time.monotonic() - begin < scrape_seconds:
                        connection.request("GET", "/metrics", headers=headers)
                        response = connection.getresponse()
                        sizes[kind] = len(response.read())
                        made += 1
                    busy, span = cpu_seconds(pid) - cpu, time.monotonic() - begin
                    # The same span without scrapes: what polling alone costs meanwhile.
                    idle_cpu = cpu_seconds(pid)
                    time.sleep(span)
                    idle = cpu_seconds(pid) - idle_cpu
                    results[kind].append(max(0.0, busy - idle) / made)
            connection.close()
            samples = sum(1 for line in get(exporter.base + "/metrics", timeout=60).splitlines() if line and not line.startswith("#"))
            return {"targets": count, "interval_s": interval, "samples": samples, "plain_bytes": sizes["plain"], "gzip_bytes": sizes["gzip"],
                    "plain_ms": round(1000 * statistics.median(results["plain"]), 2),
                    "gzip_ms": round(1000 * statistics.median(results["gzip"]), 2)}
        finally:
            exporter.stop()


def main():
    parser = build_arguments()
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--window", type=float, default=30)
    parser.add_argument("--scrape-seconds", type=float, default=3, help="length of a window of sequential scrapes")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--skip-scrapes", action="store_true")
    args = parser.parse_args()
    measured = builds(args)
    token = token_file()
    results = {"interval_s": INTERVAL, "timeout_s": TIMEOUT, "builds": [label for label, _ in measured], "cases": [], "scrapes": []}
    with tempfile.TemporaryDirectory() as scratch:
        directory = pathlib.Path(scratch)
        api = nginx_api(directory, 25)
        hung = simulator(args.simulator, 2)
        get(hung.base + "/_sim/fault?kind=hang", method="PUT")
        try:
            for case in filter(None, args.cases.split(",")):
                for label, binary in measured:
                    row = measure(binary, case, args.targets, api.base, hung.base, token, args.warmup, args.window)
                    row["build"] = label
                    print(json.dumps(row), flush=True)
                    results["cases"].append(row)
            if not args.skip_scrapes:
                for label, binary in measured:
                    for interval in (INTERVAL, 3600):
                        row = scrape_cpu(binary, args.targets, api.base, token, args.warmup, args.scrape_seconds, args.rounds, interval)
                        row["build"] = label
                        print(json.dumps(row), flush=True)
                        results["scrapes"].append(row)
        finally:
            hung.stop()
            api.stop()
    os.unlink(token)
    output = HERE / "results/defaults.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2))
    print(table(results))


def table(results):
    """The Markdown tables BENCHMARKS.md carries."""
    percent = lambda v: "–" if v is None else f"{v * 100:.0f} %"
    lines = ["| upstream | build | start → ready | threads (most) | RSS | CPU (one core) | healthy targets' polls (mean / worst) |",
             "|---|---|---:|---:|---:|---:|---|"]
    for row in results["cases"]:
        lines.append(f"| {row['case']} | {row['build']} | {row['ready_s']} s | {row['threads']} | {row['rss_mib']} MiB | {row['cpu_percent']} % | "
                     f"{percent(row['healthy_share_mean'])} / {percent(row['healthy_share_min'])} |")
    if results["scrapes"]:
        lines += ["", "| build | polls meanwhile | samples | body (plain / gzip) | CPU per scrape, plain | CPU per scrape, gzip |",
                  "|---|---|---:|---:|---:|---:|"]
        for row in results["scrapes"]:
            between = "200 a second (5 s interval)" if row["interval_s"] == INTERVAL else "none (1 h interval)"
            lines.append(f"| {row['build']} | {between} | {row['samples']:,} | {row['plain_bytes'] / 1e6:.1f} MB / {row['gzip_bytes'] / 1e3:.0f} KB | "
                         f"{row['plain_ms']} ms | {row['gzip_ms']} ms |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
