#!/usr/bin/env python3
"""The OpenMetrics path beside the text path: /metrics under wrk, asked for each format the way
Prometheus asks, plain and gzip, at 1,000 and 10,000 datasources. The same exporter process
serves all four in interleaved rounds (the median round is reported), so the text path is the
reference measured in the same run.

  text         Accept: text/plain;version=0.0.4;q=1,*/*;q=0.1   (Prometheus with OpenMetrics off)
  openmetrics  Prometheus 2.x's default Accept, which prefers application/openmetrics-text 1.0.0

  python3 Benchmarks/openmetrics.py --exporter BINARY --simulator SIM [--wrk-seconds 3] [--repeat 3]

Prints a Markdown table (requests/s, p99, bytes) and writes Benchmarks/results/openmetrics.json.
"""
import argparse
import json
import os
import pathlib
import urllib.request

from scale import token_file
from scrapes import add_wrk_arguments, median_run, wrk
from systems import exporter, simulator

HERE = pathlib.Path(__file__).resolve().parent
ACCEPT = {
    "text": "text/plain;version=0.0.4;q=1,*/*;q=0.1",
    "openmetrics": "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                   "text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
}
SIZES = (1_000, 10_000)


def size(url, headers):
    request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
    with urllib.request.urlopen(request) as response:
        return len(response.read()), response.headers["Content-Type"]


def main():
    parser = argparse.ArgumentParser()
    add_wrk_arguments(parser)
    args = parser.parse_args()
    token = token_file()
    rows = []
    try:
        for count in SIZES:
            sim = simulator(args.simulator, count)
            ours = exporter(args.exporter, sim, token, paginate=False)  # one request: the exposition is what is measured
            url = ours.base + "/metrics"
            variants = {(fmt, gz): [f"Accept: {ACCEPT[fmt]}"] + (["Accept-Encoding: gzip"] if gz else [])
                        for fmt in ACCEPT for gz in (False, True)}
            shapes = {key: size(url, headers) for key, headers in variants.items()}
            for key, (_, content_type) in shapes.items():
                wanted = "application/openmetrics-text" if key[0] == "openmetrics" else "text/plain"
                assert content_type.startswith(wanted), f"{key}: answered {content_type}"
            runs = {key: [] for key in variants}
            for _ in range(args.repeat):
                for key, headers in variants.items():
                    runs[key].append(wrk(url, args, headers=headers))
            for key in variants:
                best = median_run(runs[key])
                rows.append({"datasources": count, "format": key[0], "gzip": key[1], "bytes": shapes[key][0], **best})
                print(f"  {count:>6} datasources  {key[0]:<12} {'gzip' if key[1] else 'plain':<6}"
                      f" {best['rps']:>9.0f} req/s  p99 {best['p99_ms']:.2f} ms  {shapes[key][0]:>9} bytes", flush=True)
            ours.stop()
            sim.stop()
    finally:
        os.unlink(token)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results/openmetrics.json").write_text(json.dumps(rows, indent=2) + "\n")
    print("\n| datasources | format | encoding | requests/s | p99 | bytes | vs text |")
    print("|---:|---|---|---:|---:|---:|---:|")
    for row in rows:
        text = next(r for r in rows if r["datasources"] == row["datasources"] and r["format"] == "text" and r["gzip"] == row["gzip"])
        print(f"| {row['datasources']:,} | {row['format']} | {'gzip' if row['gzip'] else 'plain'} | {row['rps']:,.0f} | "
              f"{row['p99_ms']:.2f} ms | {row['bytes']:,} | {row['rps'] / text['rps']:.2f}× |")


if __name__ == "__main__":
    main()
