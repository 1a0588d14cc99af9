#!/usr/bin/env python3
"""The benchmark behind BENCHMARKS.md: databrain_exporter beside nginx, pushgateway, a Python
prometheus_client exporter and blackbox_exporter, all measured in this one run on 127.0.0.1.

Run through Benchmarks/run, which installs the tools and builds the release binaries. Absolute
figures on a shared 2-core machine are noise; the ratios within one run are the result.
"""
import argparse
import datetime
import gzip
import http.client
import json
import os
import pathlib
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import service_user

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
TOKEN = "bench-token"
SIZES = (100, 1_000, 10_000)
GROWTH_SIZES = (100, 1_000, 10_000, 100_000)


# ---------------------------------------------------------------- processes and measurements

def free_port():
    """For servers that cannot report a kernel-chosen port (nginx, pushgateway, blackbox)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"bench: timed out waiting for {what}")


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


class Server:
    """A process under test; `port_pattern` reads the port it printed, else `port` is given."""

    def __init__(self, name, command, port=None, port_pattern=None, ready_path="/metrics", stdin=None):
        self.name = name
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE if port_pattern else self.log,
                                        stderr=subprocess.STDOUT if port_pattern else self.log, text=bool(port_pattern))
        if port_pattern:
            deadline = time.monotonic() + 60
            while port is None and time.monotonic() < deadline:
                line = self.process.stdout.readline()
                if not line:
                    raise SystemExit(f"bench: {name} exited before listening")
                match = re.search(port_pattern, line)
                port = int(match.group(1)) if match else None
            # Keep draining its output so it never blocks on a full pipe.
            self.process.stdout = None
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        wait_until(f"{name} to answer", lambda: get(self.base + ready_path) is not None)

    def status(self, field):
        for line in open(f"/proc/{self.process.pid}/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # MiB
        return 0.0

    def rss(self):
        return self.status("VmRSS")

    def peak_rss(self):
        return self.status("VmHWM")

    def children_pids(self):
        return [self.process.pid]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def tree_rss(server, field="VmRSS"):
    """nginx is a master and workers: sum them (what the machine pays)."""
    total = 0.0
    pids = [server.process.pid] + [int(p) for p in subprocess.run(
        ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True).stdout.split()]
    for pid in pids:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith(field + ":"):
                total += int(line.split()[1]) / 1024
    return total


def wrk(url, args, gzip_wanted=False):
    header = ["-H", "Accept-Encoding: gzip"] if gzip_wanted else []
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


# ---------------------------------------------------------------- the systems under test

def simulator(binary, count):
    return Server("simulator", [binary, "--listen", "127.0.0.1:0", "--token", TOKEN, "--datasources", str(count)],
                  port_pattern=r"listening on http://127\.0\.0\.1:(\d+)", ready_path="/health/live")


def exporter(binary, sim, token_file, paginate=True):
    command = service_user.PREFIX + [binary, "--databrain.url", sim.base, "--databrain.token-file", token_file, "--databrain.target-name", "sim",
               "--web.listen-address", "127.0.0.1:0", "--poll.interval", "1h", "--poll.timeout", "60s",
               "--databrain.max-body-bytes", str(64 << 20), "--databrain.max-pages", "100000"]
    if paginate:
        command.append("--databrain.paginate")
    server = Server("databrain_exporter", command, port_pattern=r"listening address=127\.0\.0\.1:(\d+)", ready_path="/-/healthy")
    wait_until("the exporter's first poll", lambda: get(server.base + "/-/ready"))
    return server


def nginx(directory, body):
    (directory / "metrics").write_text(body)
    # gzip_static serves this to clients that accept gzip: nginx's best case, no compression per request.
    (directory / "metrics.gz").write_bytes(gzip.compress(body.encode()))
    port = free_port()
    (directory / "nginx.conf").write_text(f"""
worker_processes auto;
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path {directory}; proxy_temp_path {directory}; fastcgi_temp_path {directory};
  uwsgi_temp_path {directory}; scgi_temp_path {directory};
  server {{
    listen 127.0.0.1:{port};
    location = /metrics {{ default_type "text/plain; version=0.0.4; charset=utf-8"; gzip_static on; alias {directory}/metrics; }}
  }}
}}
""")
    os.chmod(directory, 0o755)
    return Server("nginx", ["nginx", "-p", str(directory), "-c", str(directory / "nginx.conf")], port=port)


def pushgateway(body):
    port = free_port()
    server = Server("pushgateway", ["prometheus-pushgateway", f"--web.listen-address=127.0.0.1:{port}"], port=port)
    # Only the exporter's own families: pushgateway's process_* and build_info would clash.
    pushed = "".join(line + "\n" for line in body.splitlines()
                     if re.match(r"(# (HELP|TYPE) )?databrain_(?!exporter_build_info)", line))
    request = urllib.request.Request(server.base + "/metrics/job/databrain", data=pushed.encode(), method="PUT")
    urllib.request.urlopen(request, timeout=30).read()
    return server


def python_exporter(sim, count):
    server = Server("python prometheus_client",
                    [sys.executable, str(HERE / "python_exporter.py"), "--url", sim.base, "--token", TOKEN, "--paginate"],
                    port_pattern=r"listening on 127\.0\.0\.1:(\d+)")
    wait_until("the Python exporter's poll", lambda: f'databrain_datasources{{target="sim"}} {float(count)}' in get(server.base + "/metrics"))
    return server


def blackbox(directory):
    (directory / "blackbox.yml").write_text("modules:\n  http_2xx:\n    prober: http\n")
    port = free_port()
    return Server("blackbox_exporter", ["prometheus-blackbox-exporter", f"--config.file={directory}/blackbox.yml",
                                        f"--web.listen-address=127.0.0.1:{port}"], port=port)


# ---------------------------------------------------------------- the measurements

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


def timed(command):
    """Wall seconds and CPU seconds (user + system) of one run of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"bench: {command[0]} failed ({status})")
    return wall, usage.ru_utime + usage.ru_stime, output.decode()


def polling(args, binaries, token_file):
    sim = simulator(binaries["sim"], 1_000)
    pages = [f"{sim.base}/api/v2/datasource?isPagination=true&pageNumber={page}" for page in range(1, 101)]
    # One invocation, one connection; each URL's body to /dev/null (-o applies to one URL each).
    curl = ["curl", "-sS", "--fail", "-H", f"Authorization: Bearer {TOKEN}"] + [a for url in pages for a in ("-o", "/dev/null", url)]
    ours = service_user.PREFIX + [binaries["exporter"], "--once", "--databrain.url", sim.base, "--databrain.token-file", token_file,
            "--databrain.target-name", "sim", "--databrain.paginate", "--log.level", "error"]
    runs = {"databrain_exporter --once": [], "curl (100 URLs, one connection)": []}
    poll_seconds, connections = [], []
    for _ in range(args.poll_runs):  # interleaved, so both see the same machine
        wall, cpu, output = timed(ours)
        runs["databrain_exporter --once"].append((wall, cpu))
        poll_seconds.append(float(re.search(r'databrain_poll_duration_seconds\{target="sim"\} (\S+)', output).group(1)))
        connections.append(float(re.search(r'databrain_api_connections_opened_total\{target="sim"\} (\S+)', output).group(1)))
        assert 'databrain_datasources{target="sim"} 1000' in output
        runs["curl (100 URLs, one connection)"].append(timed(curl)[:2])
    stats = json.loads(get(sim.base + "/_sim/stats"))
    summary = {name: {"wall_ms": statistics.median(w for w, _ in values) * 1000,
                      "cpu_ms": statistics.median(c for _, c in values) * 1000} for name, values in runs.items()}
    summary.update(in_process_polls(args, binaries, token_file, sim, curl))
    sim.stop()
    summary["poll_only_ms"] = statistics.median(poll_seconds) * 1000
    summary["connections_per_poll"] = max(connections)
    summary["simulator_connections"] = stats.get("api_connections")
    return summary


def in_process_polls(args, binaries, token_file, sim, curl):
    """A poll as the running exporter does it (no process start), beside curl's transfer time
    (the sum of its per-URL `time_total`, so without curl's own start-up either)."""
    command = service_user.PREFIX + [binaries["exporter"], "--databrain.url", sim.base, "--databrain.token-file", token_file,
               "--databrain.target-name", "sim", "--databrain.paginate", "--web.listen-address", "127.0.0.1:0",
               "--poll.interval", "400ms", "--poll.timeout", "300ms", "--log.level", "error"]
    # --log.level error hides the "listening" line, so find the port from /proc instead.
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port = wait_until("the exporter to listen", lambda: listening_port(process.pid))
        base = f"http://127.0.0.1:{port}"

        def sample():
            text = get(base + "/metrics")
            polls = float(re.search(r'databrain_polls_total\{target="sim"\} (\S+)', text).group(1))
            duration = float(re.search(r'databrain_poll_duration_seconds\{target="sim"\} (\S+)', text).group(1))
            return polls, duration

        durations, cpu_start, polls_start = [], None, None
        seen = wait_until("the first poll", lambda: sample()[0] >= 1 and sample())
        while len(durations) < args.poll_runs:
            polls, duration = wait_until("the next poll", lambda: (lambda s: s if s[0] > seen[0] else None)(sample()))
            if cpu_start is None:
                cpu_start, polls_start = process_cpu(process.pid), polls
            durations.append(duration)
            seen = (polls, duration)
        cpu_per_poll = (process_cpu(process.pid) - cpu_start) / max(1, seen[0] - polls_start)
    finally:
        process.terminate()
        process.wait()
    transfers = []
    for _ in range(args.poll_runs):
        output = subprocess.run(curl + ["-w", "%{time_total}\n"], capture_output=True, text=True, check=True).stdout
        transfers.append(sum(float(line) for line in output.split()))
    return {"in_process_poll_ms": statistics.median(durations) * 1000, "in_process_cpu_ms": cpu_per_poll * 1000,
            "curl_transfer_ms": statistics.median(transfers) * 1000}


def listening_port(pid):
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        target = os.readlink(f"/proc/{pid}/fd/{fd}")
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    for line in open("/proc/net/tcp").readlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and fields[9] in inodes:  # LISTEN
            return int(fields[1].split(":")[1], 16)
    return None


def process_cpu(pid):
    """User + system CPU seconds of a running process (includes CPU spent by scrapes of it, a few ms)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--simulator", required=True)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--wrk-connections", type=int, default=16)
    parser.add_argument("--wrk-seconds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds per server; the median is reported")
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
