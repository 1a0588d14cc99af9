#!/usr/bin/env python3
"""The gzip path (what Prometheus asks for) beside nginx and beside SwiftNIO's own ceiling.

Three servers answer GET /metrics with Accept-Encoding: gzip, with the same compressed bytes (the
exporter's own gzip member, fetched from it):

  databrain_exporter  this build (and a reference build, if given), polling the simulator
  nginx               gzip_static serving those bytes from a file: its best case
  nio-ceiling         Benchmarks/NIOCeiling: the smallest SwiftNIO HTTP/1 server, NIO's server
                      pipeline as the exporter configures it, answering those bytes from memory

The exporter is built on SwiftNIO, so nio-ceiling is as fast as it can be on this machine: the
gap from nio-ceiling to nginx is SwiftNIO's, the gap from the exporter to nio-ceiling is the
exporter's own. wrk (2 threads, 16 connections) runs the servers in interleaved rounds; the
median round is reported, with the median CPU (user + system, the server's processes) per request.

  python3 Benchmarks/gzip_ceiling.py --exporter BINARY --simulator SIM [--reference OLD] [--repeat 5]

Prints a Markdown table and writes Benchmarks/results/gzip_ceiling.json.
"""
import json
import os
import pathlib
import statistics
import subprocess
import tempfile
import urllib.request

from scale import build_arguments, builds, token_file
from scrapes import add_wrk_load, median_run, wrk
from systems import Server, cpu_seconds, exporter, get, nginx_serving, process_tree, simulator

HERE = pathlib.Path(__file__).resolve().parent
CEILING_PACKAGE = HERE / "NIOCeiling"
SIZES = (100, 1_000)


def ceiling_binary():
    """Builds Benchmarks/NIOCeiling (release) and returns its executable."""
    subprocess.run(["swift", "build", "-c", "release", "--package-path", str(CEILING_PACKAGE), "--force-resolved-versions"],
                   check=True, stdout=subprocess.DEVNULL)
    path = subprocess.run(["swift", "build", "-c", "release", "--package-path", str(CEILING_PACKAGE), "--show-bin-path"],
                          check=True, capture_output=True, text=True).stdout.strip()
    return pathlib.Path(path) / "nio-ceiling"


def server_cpu_seconds(server):
    """The server's CPU (user + system), with its children's: nginx answers from worker processes."""
    return sum(cpu_seconds(pid) for pid in process_tree(server.process.pid))


def gzipped(base):
    request = urllib.request.Request(base + "/metrics", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers.get("Content-Encoding") == "gzip", "the exporter did not answer gzip"
        return response.read()


def main():
    parser = build_arguments()
    add_wrk_load(parser, seconds=4, repeat=5)
    args = parser.parse_args()
    ceiling = ceiling_binary()
    token = token_file()
    measured = [("databrain_exporter" if label == args.label else f"databrain_exporter ({label})", binary) for label, binary in builds(args)]
    rows = []
    try:
        for count in SIZES:
            sim = simulator(args.simulator, count)
            servers = [(label, exporter(binary, sim, token)) for label, binary in measured]
            with tempfile.TemporaryDirectory() as scratch:
                directory = pathlib.Path(scratch)
                body = get(servers[0][1].base + "/metrics")
                compressed = gzipped(servers[0][1].base)
                (directory / "metrics").write_text(body)
                (directory / "metrics.gz").write_bytes(compressed)
                servers.append(("nginx (gzip_static)", nginx_serving(
                    directory, f'location = /metrics {{ default_type "text/plain; version=0.0.4; charset=utf-8"; gzip_static on; alias {directory}/metrics; }}',
                    ready_path="/metrics")))
                servers.append(("nio-ceiling", Server("nio-ceiling", [str(ceiling), str(directory / "metrics"), str(directory / "metrics.gz")],
                                                      port_pattern=r"listening address=127\.0\.0\.1:(\d+)", ready_path="/metrics")))
                runs = {label: [] for label, _ in servers}
                # CPU per request besides requests/s: on 2 cores shared with wrk, throughput moves
                # with scheduling by ±10 % between rounds; the CPU each request costs moves less.
                cpu = {label: [] for label, _ in servers}
                for _ in range(args.repeat):
                    for label, server in servers:
                        before = server_cpu_seconds(server)
                        result = wrk(server.base + "/metrics", args, gzip_wanted=True)
                        cpu[label].append(1e6 * (server_cpu_seconds(server) - before) / (result["rps"] * args.wrk_seconds))
                        runs[label].append(result)
                medians = {label: median_run(results) for label, results in runs.items()}
                nginx_rps = medians["nginx (gzip_static)"]["rps"]
                ceiling_rps = medians["nio-ceiling"]["rps"]
                for label, _ in servers:
                    row = {"datasources": count, "gzip_bytes": len(compressed), "server": label, **medians[label],
                           "cpu_us_per_request": round(statistics.median(cpu[label]), 1),
                           "rounds": [round(r["rps"]) for r in runs[label]],
                           "vs_nginx": medians[label]["rps"] / nginx_rps, "vs_ceiling": medians[label]["rps"] / ceiling_rps}
                    rows.append(row)
                    print(json.dumps(row), flush=True)
                for _, server in servers:
                    server.stop()
            sim.stop()
    finally:
        os.unlink(token)
    output = HERE / "results/gzip_ceiling.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(rows, indent=2))
    print("| datasources | gzip body | server | requests/s (p99) | / nginx | / nio-ceiling | CPU per request | rounds |")
    print("|---:|---:|---|---:|---:|---:|---:|---|")
    for row in rows:
        print(f"| {row['datasources']:,} | {row['gzip_bytes'] / 1024:.1f} KiB | {row['server']} | {row['rps']:,.0f} ({row['p99_ms']:.2f} ms) | "
              f"{row['vs_nginx']:.2f}× | {row['vs_ceiling']:.2f}× | {row['cpu_us_per_request']} µs | {', '.join(f'{r:,}' for r in row['rounds'])} |")


if __name__ == "__main__":
    main()
