"""Poll-side measurements: a whole `--once` process beside curl fetching the same 100 pages over
one connection, and a poll inside the running exporter beside curl's transfer time."""
import json
import os
import re
import statistics
import subprocess
import time

from systems import SERVICE_USER_PREFIX, TOKEN, get, simulator, wait_until


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
    ours = SERVICE_USER_PREFIX + [binaries["exporter"], "--once", "--databrain.url", sim.base, "--databrain.token-file", token_file,
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
    command = SERVICE_USER_PREFIX + [binaries["exporter"], "--databrain.url", sim.base, "--databrain.token-file", token_file,
               "--databrain.target-name", "sim", "--databrain.paginate", "--web.listen-address", "127.0.0.1:0",
               "--poll.interval", "400ms", "--poll.timeout", "300ms", "--log.level", "error"]
    # --log.level error hides the "listening" line, so find the port from /proc instead.
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port = wait_until("the exporter to listen", lambda: listening_port(process.pid), prefix="bench")
        base = f"http://127.0.0.1:{port}"

        def sample():
            text = get(base + "/metrics")
            polls = float(re.search(r'databrain_polls_total\{target="sim"\} (\S+)', text).group(1))
            duration = float(re.search(r'databrain_poll_duration_seconds\{target="sim"\} (\S+)', text).group(1))
            return polls, duration

        durations, cpu_start, polls_start = [], None, None
        seen = wait_until("the first poll", lambda: sample()[0] >= 1 and sample(), prefix="bench")
        while len(durations) < args.poll_runs:
            polls, duration = wait_until("the next poll", lambda: (lambda s: s if s[0] > seen[0] else None)(sample()), prefix="bench")
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
