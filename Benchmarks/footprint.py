#!/usr/bin/env python3
"""What a sidecar costs, beside blackbox_exporter and pushgateway, all measured in this one run.

  binary    the file that ships (ours: stripped, as in the image; theirs: Debian's builds)
  image     ours: the OCI archive scripts/build-image wrote, unpacked and as compressed layers;
            theirs: the same kind of minimal image (the binary, its ldd closure and the CA
            bundle), since no registry is reachable here to pull their published images
  idle RSS  after start-up and one scrape (ours: after one poll of 100 datasources)
  peak RSS  VmHWM after the same wrk load on /metrics (blackbox_exporter: and on /probe)
  start-up  exec until /metrics first answers 200 (ours: with its first poll done)
  --once    ours only: a whole `--once` process beside curl making the same 3 transfers
Ours runs as uid 65532 when this runs as root, as the image runs it. Writes results/footprint.json.
Usage: Benchmarks/footprint.py --exporter BIN --simulator BIN --image OCI.tar
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
from harness import SERVICE_USER_PREFIX, answers, free_port, status_mib, unpack_oci, wait_until  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
TOKEN = "bench-token"
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def wait_for(what, condition, timeout=60):
    # Polled every 2 ms: start-up is one of the figures.
    return wait_until(what, condition, timeout=timeout, every=0.002, prefix="footprint")


def closure_bytes(binary):
    """The binary, every library ldd resolves for it, and the CA bundle: a minimal image's files."""
    files = {os.path.realpath(binary), CA_BUNDLE}
    output = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    files |= {os.path.realpath(p) for p in re.findall(r"(/\S+) \(0x", output)}
    return sum(os.path.getsize(f) for f in files)


def image_bytes(archive):
    """Unpacked size of the image's files and the size of its compressed layers."""
    with tempfile.TemporaryDirectory() as scratch:
        _, compressed, unpacked = unpack_oci(archive, scratch)
    return unpacked, compressed


def start(command, url, log):
    """Starts `command`, returns (process, seconds until `url` answered 200)."""
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=log, stderr=log)
    wait_for(f"{command[0]} to serve {url}", lambda: process.poll() is None and answers(url))
    return process, time.perf_counter() - began


def stop(process):
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wrk(url, seconds):
    subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", url], check=True, capture_output=True)


def measure_ours(args, sim_url, token_file, log, rounds):
    port = free_port()
    command = SERVICE_USER_PREFIX + [args.exporter, "--databrain.url", sim_url, "--databrain.token-file", token_file,
                              "--databrain.target-name", "sim", "--web.listen-address", f"127.0.0.1:{port}", "--log.level", "warn"]
    metrics = f"http://127.0.0.1:{port}/metrics"
    startups, idle, peak = [], [], []
    for _ in range(rounds):
        began = time.perf_counter()
        process = subprocess.Popen(command, stdout=log, stderr=log)
        # Ready for us means the first poll is in: databrain_up is 1.
        wait_for("the exporter's first poll", lambda: b'databrain_up{target="sim"} 1' in (answers(metrics) or b""))
        startups.append(time.perf_counter() - began)
        time.sleep(1)
        idle.append(status_mib(process.pid, "VmRSS"))
        wrk(metrics, args.wrk_seconds)
        peak.append(status_mib(process.pid, "VmHWM"))
        stop(process)
    return startups, idle, peak


def measure_peer(name, command, url, load_urls, log, rounds, seconds):
    startups, idle, peak = [], [], []
    for _ in range(rounds):
        process, took = start(command, url, log)
        startups.append(took)
        time.sleep(1)
        idle.append(status_mib(process.pid, "VmRSS"))
        for load in load_urls:
            wrk(load, seconds)
        peak.append(status_mib(process.pid, "VmHWM"))
        stop(process)
    return startups, idle, peak


def once_vs_curl(args, sim_url, token_file, runs):
    """A whole `--once` process beside curl making the same transfers: `--once` fetches the list
    with the token and probes /health/live and /health/ready without it, over one connection, so
    curl gets the same three URLs in one invocation (`--next` drops the header for the probes).
    Both start behind the same prefix (setpriv as root), so neither pays for it alone."""
    ours = SERVICE_USER_PREFIX + [args.exporter, "--once", "--databrain.url", sim_url, "--databrain.token-file", token_file, "--log.level", "error"]
    curl = SERVICE_USER_PREFIX + ["curl", "-sS", "--fail", "-o", "/dev/null", "-H", f"Authorization: Bearer {TOKEN}",
                                  f"{sim_url}/api/v2/datasource?isPagination=false",
                                  "--next", "-sS", "--fail", "-o", "/dev/null", f"{sim_url}/health/live",
                                  "--next", "-sS", "--fail", "-o", "/dev/null", f"{sim_url}/health/ready"]
    times = {"once": [], "curl": []}
    for _ in range(runs):  # interleaved, so both see the same machine
        for name, command in (("once", ours), ("curl", curl)):
            began = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - began)
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--simulator", required=True)
    parser.add_argument("--image", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--wrk-seconds", type=int, default=3)
    parser.add_argument("--once-runs", type=int, default=20)
    parser.add_argument("--output", default=str(HERE / "results/footprint.json"))
    args = parser.parse_args()
    blackbox, pushgateway = shutil.which("prometheus-blackbox-exporter"), shutil.which("prometheus-pushgateway")
    work = pathlib.Path(tempfile.mkdtemp(prefix="footprint-"))
    os.chmod(work, 0o755)
    token_file = work / "token"
    token_file.write_text(TOKEN)
    os.chmod(token_file, 0o644)
    log = open(work / "log", "w")
    sim = subprocess.Popen([args.simulator, "--listen", "127.0.0.1:0", "--token", TOKEN, "--datasources", "100"],
                           stdout=subprocess.PIPE, text=True)
    sim_url = re.search(r"(https?://127\.0\.0\.1:\d+)", sim.stdout.readline())[1]
    sim.stdout = None
    try:
        rows = {}
        unpacked, compressed = image_bytes(args.image)
        rows["databrain_exporter"] = {"binary": os.path.getsize(args.exporter), "image": unpacked, "image_compressed": compressed}
        (work / "blackbox.yml").write_text("modules:\n  http_2xx:\n    prober: http\n")
        for name, binary in (("blackbox_exporter", blackbox), ("pushgateway", pushgateway)):
            size = closure_bytes(binary)
            with tempfile.TemporaryFile() as tar:
                with tarfile.open(fileobj=tar, mode="w:gz") as archive:
                    archive.add(binary, arcname="bin/" + name)
                    archive.add(CA_BUNDLE, arcname=CA_BUNDLE.lstrip("/"))
                rows[name] = {"binary": os.path.getsize(binary), "image": size, "image_compressed": tar.tell()}
        print("footprint: sizes measured", flush=True)

        startups, idle, peak = measure_ours(args, sim_url, str(token_file), log, args.rounds)
        rows["databrain_exporter"].update(startup_ms=statistics.median(startups) * 1000, idle_mib=statistics.median(idle),
                                          peak_mib=statistics.median(peak))
        bport, pport = free_port(), free_port()
        bbase, pbase = f"http://127.0.0.1:{bport}", f"http://127.0.0.1:{pport}"
        for name, command, base, loads in (
            ("blackbox_exporter", [blackbox, f"--config.file={work}/blackbox.yml", f"--web.listen-address=127.0.0.1:{bport}"], bbase,
             [f"{bbase}/metrics", f"{bbase}/probe?module=http_2xx&target={bbase}/metrics"]),
            ("pushgateway", [pushgateway, f"--web.listen-address=127.0.0.1:{pport}", "--persistence.file="], pbase, [f"{pbase}/metrics"]),
        ):
            startups, idle, peak = measure_peer(name, command, base + "/metrics", loads, log, args.rounds, args.wrk_seconds)
            rows[name].update(startup_ms=statistics.median(startups) * 1000, idle_mib=statistics.median(idle),
                              peak_mib=statistics.median(peak))
        once = once_vs_curl(args, sim_url, str(token_file), args.once_runs)
    finally:
        sim.terminate()
        sim.wait()
        shutil.rmtree(work, ignore_errors=True)
    result = {"rows": rows, "once": once, "as_service_user": bool(SERVICE_USER_PREFIX)}
    pathlib.Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(args.output).write_text(json.dumps(result, indent=2))
    for name, row in rows.items():
        print(f"  {name:<20} binary {row['binary'] / 1e6:6.1f} MB  image {row['image'] / 1e6:6.1f} MB "
              f"({row['image_compressed'] / 1e6:5.1f} MB gz)  idle {row['idle_mib']:5.1f} MiB  peak {row['peak_mib']:5.1f} MiB  "
              f"start-up {row['startup_ms']:6.1f} ms")
    print(f"  --once {once['once']:.1f} ms, curl {once['curl']:.1f} ms ({once['once'] / once['curl']:.2f}x)")
    print(f"footprint: wrote {args.output}")


if __name__ == "__main__":
    main()
