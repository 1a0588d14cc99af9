"""Scrape-side measurements: /metrics throughput under wrk beside the peers, the peers' idle and
peak memory, and how scrapes, memory and a poll grow with the number of datasources."""
import http.client
import pathlib
import re
import statistics
import subprocess
import tempfile
import time

from systems import blackbox, exporter, get, nginx, process_tree, pushgateway, python_exporter, simulator

SIZES = (100, 1_000, 10_000)
GROWTH_SIZES = (100, 1_000, 10_000, 100_000)


def tree_rss(server, field="VmRSS"):
    """nginx is a master and workers: sum them (what the machine pays)."""
    total = 0.0
    for pid in process_tree(server.process.pid):
        for line in open(f"/proc/{pid}/status"):
            if line.startswith(field + ":"):
                total += int(line.split()[1]) / 1024
    return total


def add_wrk_arguments(parser):
    """The builds and wrk's load, as every scrape benchmark takes them."""
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--simulator", required=True)
    add_wrk_load(parser)


def add_wrk_load(parser, seconds=3, repeat=3):
    """wrk's load and the rounds per server, for scripts that take their builds otherwise."""
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--wrk-connections", type=int, default=16)
    parser.add_argument("--wrk-seconds", type=int, default=seconds)
    parser.add_argument("--repeat", type=int, default=repeat, help="interleaved rounds per server; the median is reported")


def wrk(url, args, gzip_wanted=False, headers=()):
    header = ["-H", "Accept-Encoding: gzip"] if gzip_wanted else []
    for extra in headers:
        header += ["-H", extra]
    output = subprocess.run(["wrk", "-t", str(args.wrk_threads), "-c", str(args.wrk_connections),
                             "-d", f"{args.wrk_seconds}s", "--latency"] + header + [url],
                            capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"bench: {url} answered errors under load:\n{output}")
    return {"rps": rps, "p99_ms": float(p99.group(1)) * scale}


def median_run(results):
    """The run with the median requests/s (its p99 with it)."""
    return sorted(results, key=lambda r: r["rps"])[len(results) // 2]


def throughput(args, binaries, token_file):
    results, memory = {}, {}
    for count in SIZES:
        sim = simulator(binaries["sim"], count)
        ours = exporter(binaries["exporter"], sim, token_file)
        if count == SIZES[0]:
            time.sleep(1)
            memory["databrain_exporter idle"] = ours.rss()
        body = get(ours.base + "/metrics")
        assert f'databrain_datasources{{target="sim"}} {count}' in body, "the exporter did not fetch every datasource"
        with tempfile.TemporaryDirectory() as scratch:
            directory = pathlib.Path(scratch)
            peers = [("databrain_exporter", ours), ("nginx (static file)", nginx(directory, body)),
                     ("pushgateway", pushgateway(body)), ("python prometheus_client", python_exporter(sim, count))]
            row = {"bytes": len(body.encode()), "gzip": {}}
            for _, server in peers:
                get(server.base + "/metrics")  # warm
            # Rounds interleave the servers, so a burst of load from elsewhere on this shared
            # machine hits all of them; each figure is the median of its rounds.
            runs = {name: {"plain": [], "gzip": []} for name, _ in peers}
            for _ in range(args.repeat):
                for name, server in peers:
                    runs[name]["plain"].append(wrk(server.base + "/metrics", args))
                    # What Prometheus actually sends: Accept-Encoding: gzip.
                    runs[name]["gzip"].append(wrk(server.base + "/metrics", args, gzip_wanted=True))
            for name, server in peers:
                row[name] = median_run(runs[name]["plain"])
                row["gzip"][name] = median_run(runs[name]["gzip"])
                peak = tree_rss(server, "VmHWM") if name.startswith("nginx") else server.peak_rss()
                memory[f"{name} peak"] = max(memory.get(f"{name} peak", 0.0), peak)
                print(f"  {count:>6} datasources  {name:<26} {row[name]['rps']:>10.0f} req/s  p99 {row[name]['p99_ms']:.2f} ms"
                      f"   gzip {row['gzip'][name]['rps']:>10.0f} req/s", flush=True)
            for _, server in peers[1:]:
                server.stop()
        results[count] = row
        ours.stop()
        sim.stop()
    return results, memory


def idle_peers(args, memory):
    with tempfile.TemporaryDirectory() as scratch:
        directory = pathlib.Path(scratch)
        for name, start in (("blackbox_exporter", lambda: blackbox(directory)), ("pushgateway", lambda: pushgateway(""))):
            server = start()
            get(server.base + "/metrics")
            time.sleep(1)
            memory[f"{name} idle"] = server.rss()
            if name == "blackbox_exporter":
                # Under the same load as the others: its own /metrics, and probes of a local page.
                wrk(server.base + "/metrics", args)
                wrk(server.base + f"/probe?module=http_2xx&target={server.base}/metrics", args)
                memory[f"{name} peak"] = server.peak_rss()
            server.stop()


def growth(binaries, token_file):
    rows = {}
    for count in GROWTH_SIZES:
        sim = simulator(binaries["sim"], count)
        ours = exporter(binaries["exporter"], sim, token_file, paginate=False)
        connection = http.client.HTTPConnection("127.0.0.1", ours.port, timeout=60)
        times = []
        for _ in range(30):
            start = time.perf_counter()
            connection.request("GET", "/metrics")
            body = connection.getresponse().read()
            times.append(time.perf_counter() - start)
        poll = float(re.search(rb'databrain_poll_duration_seconds\{target="sim"\} (\S+)', body).group(1))
        rows[count] = {"scrape_ms": statistics.median(times) * 1000, "bytes": len(body), "rss_mib": ours.rss(),
                       "poll_ms": poll * 1000}
        print(f"  growth {count:>7}: scrape {rows[count]['scrape_ms']:.2f} ms, {len(body)} bytes, "
              f"RSS {rows[count]['rss_mib']:.1f} MiB, poll {poll * 1000:.0f} ms", flush=True)
        connection.close()
        ours.stop()
        sim.stop()
    return rows
