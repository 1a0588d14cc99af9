#!/usr/bin/env python3
"""Scale: one exporter polling 10, 100 and 1,000 targets, all against one local API, with the
interval 5 s and timeout 2 s of the scale issue, health probes off, the exporter as uid 65532.

  healthy   nginx serving a static list of 25 datasources (what a fast API costs the exporter)
  hanging   the simulator accepting every request and never answering
  mixed     one healthy target (nginx) among hanging ones (the simulator)

Per case, after a warm-up: the most threads seen, RSS, the share of its scheduled polls each
healthy target made over the window (mean, and the worst target), the connections all targets
opened during the window, and SIGTERM to exit. Then the footprint at one target of 100 datasources:
idle RSS after a poll and /metrics throughput under wrk. With --reference, a second build is
measured in the same run, case by case, so the table compares like with like on a shared machine.

  python3 Benchmarks/scale.py --exporter NEW --simulator SIM [--reference OLD --reference-label TEXT]

Prints a Markdown table and writes Benchmarks/results/scale.json.
"""
import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
from harness import SERVICE_USER_PREFIX, get, wait_until  # noqa: E402
from scrapes import add_wrk_load, median_run, wrk  # noqa: E402
from systems import TOKEN, Server, nginx_serving, simulator  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
INTERVAL, TIMEOUT = 5.0, 2.0
COUNTS = (10, 100, 1000)
CASES = ("healthy", "hanging", "mixed")


def nginx_api(directory, datasources):
    """nginx answering GET /api/v2/datasource (any query) with a fixed list, kept alive."""
    body = json.dumps({"data": [{"name": f"datasource-{i + 1}"} for i in range(datasources)]})
    (directory / "datasource.json").write_text(body)
    return nginx_serving(directory, f"location = /api/v2/datasource {{ default_type application/json; alias {directory}/datasource.json; }}",
                         ready_path="/api/v2/datasource", workers=1, connections=4096)


def start_exporter(binary, targets, directory, token_file):
    """The exporter polling `targets` (name, url) from a config file, as the service user."""
    config = directory / "targets.yml"
    config.write_text("targets:\n" + "".join(
        f"  - name: {name}\n    url: {url}\n    token_file: {token_file}\n    health: false\n" for name, url in targets))
    os.chmod(config, 0o644)
    command = SERVICE_USER_PREFIX + [binary, "--config.file", str(config), "--web.listen-address", "127.0.0.1:0",
                                     "--poll.interval", f"{INTERVAL:g}s", "--poll.timeout", f"{TIMEOUT:g}s", "--log.level", "info"]
    # Every target here shares one origin: a build with per-origin budgets gets one large enough
    # for the whole schedule (12,000 a minute at 1,000 targets), so this measures the transfers.
    if "--databrain.requests-per-minute" in subprocess.run([binary, "--help"], capture_output=True, text=True).stdout:
        command += ["--databrain.requests-per-minute", "1000000"]
    return Server("databrain_exporter", command, port_pattern=r"listening address=127\.0\.0\.1:(\d+)", ready_path="/-/healthy")


def scrape(exporter):
    """{metric: {target: value}} for the per-target series of one scrape."""
    text = get(exporter.base + "/metrics", timeout=60)
    series = {}
    for m in re.finditer(r'^(databrain_[a-z_]+){target="([^"]+)"} (\S+)$', text, re.M):
        series.setdefault(m.group(1), {})[m.group(2)] = float(m.group(3))
    return series


def poll_share(before, after, target):
    """The share of its schedule a healthy target kept: polls made between its last successes in
    two scrapes, against the interval. Exact, unlike counting polls in a window, which quantises."""
    polls = after["databrain_polls_total"].get(target, 0) - before["databrain_polls_total"].get(target, 0)
    span = after["databrain_last_success_timestamp_seconds"].get(target, 0) - before["databrain_last_success_timestamp_seconds"].get(target, 0)
    return INTERVAL * polls / span if polls > 0 and span > 0 else 0.0


def threads(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


def measure(binary, count, case, healthy_url, hanging_url, token_file, warmup, window):
    """One case: returns threads, RSS, poll shares, connections and SIGTERM-to-exit."""
    if case == "healthy":
        targets = [(f"t-{i}", healthy_url) for i in range(count)]
    elif case == "hanging":
        targets = [(f"t-{i}", hanging_url) for i in range(count)]
    else:
        targets = [("t-healthy", healthy_url)] + [(f"t-{i}", hanging_url) for i in range(count - 1)]
    healthy = [name for name, url in targets if url == healthy_url]
    with tempfile.TemporaryDirectory() as scratch:
        directory = pathlib.Path(scratch)
        os.chmod(directory, 0o755)
        exporter = start_exporter(binary, targets, directory, token_file)
        try:
            time.sleep(warmup)
            most = threads(exporter.process.pid)
            before = scrape(exporter)
            started = time.monotonic()
            while time.monotonic() - started < window:
                most = max(most, threads(exporter.process.pid))
                time.sleep(0.5)
            elapsed = time.monotonic() - started
            after = scrape(exporter)
            opened = "databrain_api_connections_opened_total"
            connections = sum(after[opened].values()) - sum(before[opened].values())
            rss = exporter.rss()
            shares = [poll_share(before, after, name) for name in healthy]
            begin = time.monotonic()
            exporter.process.terminate()
            try:
                status = exporter.process.wait(60)
            except subprocess.TimeoutExpired:
                exporter.process.kill()
                status = "killed after 60 s"
            exit_seconds = time.monotonic() - begin
        finally:
            if exporter.process.poll() is None:
                exporter.process.kill()
                exporter.process.wait()
    return {"targets": count, "case": case, "threads": most, "rss_mib": round(rss, 1),
            "healthy_share_mean": round(statistics.mean(shares), 3) if shares else None,
            "healthy_share_min": round(min(shares), 3) if shares else None,
            "connections_in_window": int(connections), "window_s": round(elapsed, 1),
            "sigterm_exit_s": round(exit_seconds, 2), "exit_status": status}


def footprint(binary, sim_binary, token_file, args):
    """One target of 100 datasources: idle RSS after the first poll, /metrics under wrk."""
    sim = simulator(sim_binary, 100)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            directory = pathlib.Path(scratch)
            os.chmod(directory, 0o755)
            exporter = start_exporter(binary, [("sim", sim.base)], directory, token_file)
            try:
                wait_until("the first poll", lambda: 'databrain_datasources{target="sim"} 100' in get(exporter.base + "/metrics"), prefix="scale")
                time.sleep(1)
                idle = exporter.rss()
                runs = [wrk(exporter.base + "/metrics", args) for _ in range(args.repeat)]
                return {"idle_rss_mib": round(idle, 1), "metrics_rps": round(median_run(runs)["rps"])}
            finally:
                exporter.stop()
    finally:
        sim.stop()


def build_arguments():
    """The arguments every many-target script takes: the builds to compare and the simulator."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--simulator", required=True)
    parser.add_argument("--reference", help="another build of the exporter, measured in the same run")
    parser.add_argument("--reference-label", default="reference")
    parser.add_argument("--label", default="this build")
    return parser


def builds(args):
    """(label, binary) of this build, then the reference if given."""
    return [(args.label, args.exporter)] + ([(args.reference_label, args.reference)] if args.reference else [])


def token_file():
    """The simulator's token in a file the service user can read (the caller unlinks it)."""
    file = tempfile.NamedTemporaryFile("w", suffix=".token", delete=False)
    file.write(TOKEN)
    file.close()
    os.chmod(file.name, 0o644)
    return file.name


def main():
    parser = build_arguments()
    parser.add_argument("--warmup", type=float, default=8)
    parser.add_argument("--window", type=float, default=40)
    add_wrk_load(parser)
    parser.add_argument("--counts", default=",".join(map(str, COUNTS)))
    args = parser.parse_args()
    measured = builds(args)
    token = token_file()
    results = {"interval_s": INTERVAL, "timeout_s": TIMEOUT, "builds": [label for label, _ in measured], "cases": [], "footprint": {}}
    with tempfile.TemporaryDirectory() as scratch:
        directory = pathlib.Path(scratch)
        api = nginx_api(directory, 25)
        hang = simulator(args.simulator, 2)
        get(hang.base + "/_sim/fault?kind=hang", method="PUT")
        try:
            for count in map(int, args.counts.split(",")):
                for case in CASES:
                    for label, binary in measured:  # interleaved: each case measured for both builds back to back
                        row = measure(binary, count, case, api.base, hang.base, token, args.warmup, args.window)
                        row["build"] = label
                        print(json.dumps(row), flush=True)
                        results["cases"].append(row)
        finally:
            hang.stop()
            api.stop()
    for label, binary in measured:
        results["footprint"][label] = footprint(binary, args.simulator, token, args)
        print(label, json.dumps(results["footprint"][label]), flush=True)
    os.unlink(token)
    output = HERE / "results/scale.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2))
    print(table(results))


def table(results):
    """The Markdown table BENCHMARKS.md carries."""
    percent = lambda v: "–" if v is None else f"{v * 100:.0f} %"
    lines = ["| targets | upstream | build | threads (most) | RSS | healthy targets' scheduled polls made (mean / worst) | connections opened in the window | SIGTERM → exit |",
             "|---:|---|---|---:|---:|---|---:|---:|"]
    for row in results["cases"]:
        lines.append(f"| {row['targets']:,} | {row['case']} | {row['build']} | {row['threads']} | {row['rss_mib']} MiB | "
                     f"{percent(row['healthy_share_mean'])} / {percent(row['healthy_share_min'])} | {row['connections_in_window']} | "
                     f"{row['sigterm_exit_s']} s{'' if row['exit_status'] == 0 else ' (exit ' + str(row['exit_status']) + ')'} |")
    lines += ["", "| build | idle RSS, 1 target of 100 datasources | /metrics requests/s (wrk, median) |", "|---|---:|---:|"]
    for label, figures in results["footprint"].items():
        lines.append(f"| {label} | {figures['idle_rss_mib']} MiB | {figures['metrics_rps']:,} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
