#!/usr/bin/env python3
"""The benchmark behind BENCHMARKS.md: databrain_exporter beside nginx, pushgateway, a Python
prometheus_client exporter and blackbox_exporter, all measured in this one run on 127.0.0.1.
The systems are started by systems.py; scrapes.py and polls.py measure; this file runs them in
order and writes results/latest.json.

Run through Benchmarks/run, which installs the tools and builds the release binaries. Absolute
figures on a shared 2-core machine are noise; the ratios within one run are the result.
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import subprocess
import tempfile

from polls import polling
from scrapes import add_wrk_arguments, growth, idle_peers, throughput
from systems import TOKEN

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


def main():
    parser = argparse.ArgumentParser()
    add_wrk_arguments(parser)
    parser.add_argument("--poll-runs", type=int, default=15)
    parser.add_argument("--output", default=str(HERE / "results/latest.json"))
    args = parser.parse_args()
    binaries = {"exporter": args.exporter, "sim": args.simulator}
    with tempfile.NamedTemporaryFile("w", suffix=".token", delete=False) as token:
        token.write(TOKEN)
    os.chmod(token.name, 0o644)  # readable by the service user, as a mounted secret is
    try:
        print("== /metrics throughput (wrk) ==", flush=True)
        results, memory = throughput(args, binaries, token.name)
        print("== idle and peak memory of the peers ==", flush=True)
        idle_peers(args, memory)
        print("== one poll of 1,000 datasources (100 pages) ==", flush=True)
        poll = polling(args, binaries, token.name)
        print(json.dumps(poll, indent=2), flush=True)
        print("== growth ==", flush=True)
        grow = growth(binaries, token.name)
    finally:
        os.unlink(token.name)
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    report = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit,
              "machine": f"{os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, {platform.platform()}",
              "wrk": f"-t{args.wrk_threads} -c{args.wrk_connections} -d{args.wrk_seconds}s, median of {args.repeat} interleaved rounds",
              "throughput": results, "memory": memory, "poll": poll, "growth": grow}
    pathlib.Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(args.output).write_text(json.dumps(report, indent=2))
    print(f"bench: wrote {args.output}")


if __name__ == "__main__":
    main()
