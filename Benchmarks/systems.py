"""The systems the benchmark measures, each started on 127.0.0.1 and ready when returned: the
simulator, databrain_exporter (as the service user when run as root), nginx serving the same
exposition as a static file, pushgateway holding it, a Python prometheus_client exporter and
blackbox_exporter."""
import gzip
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
from harness import SERVICE_USER_PREFIX, free_port, get, status_mib, wait_until  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
TOKEN = "bench-token"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """A process's CPU so far, user + system (/proc/PID/stat), in seconds."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def process_tree(pid):
    """`pid` and its children: nginx is a master and the workers that answer."""
    return [pid] + [int(child) for child in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]


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
        wait_until(f"{name} to answer", lambda: get(self.base + ready_path) is not None, prefix="bench")

    def status(self, field):
        return status_mib(self.process.pid, field)

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


def simulator(binary, count):
    return Server("simulator", [binary, "--listen", "127.0.0.1:0", "--token", TOKEN, "--datasources", str(count)],
                  port_pattern=r"listening on http://127\.0\.0\.1:(\d+)", ready_path="/health/live")


def exporter(binary, sim, token_file, paginate=True):
    command = SERVICE_USER_PREFIX + [binary, "--databrain.url", sim.base, "--databrain.token-file", token_file, "--databrain.target-name", "sim",
               "--web.listen-address", "127.0.0.1:0", "--poll.interval", "1h", "--poll.timeout", "60s",
               "--databrain.max-body-bytes", str(64 << 20), "--databrain.max-pages", "100000"]
    if paginate:
        command.append("--databrain.paginate")
    server = Server("databrain_exporter", command, port_pattern=r"listening address=127\.0\.0\.1:(\d+)", ready_path="/-/healthy")
    wait_until("the exporter's first poll", lambda: get(server.base + "/-/ready"), prefix="bench")
    return server


def nginx(directory, body):
    (directory / "metrics").write_text(body)
    # gzip_static serves this to clients that accept gzip: nginx's best case, no compression per request.
    (directory / "metrics.gz").write_bytes(gzip.compress(body.encode()))
    return nginx_serving(directory, f'location = /metrics {{ default_type "text/plain; version=0.0.4; charset=utf-8"; gzip_static on; alias {directory}/metrics; }}',
                         ready_path="/metrics")


def nginx_serving(directory, locations, ready_path, workers="auto", connections=1024):
    """nginx on a free loopback port with `locations` (nginx syntax) in its one server, kept alive."""
    port = free_port()
    (directory / "nginx.conf").write_text(f"""
worker_processes {workers};
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log;
events {{ worker_connections {connections}; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  client_body_temp_path {directory}; proxy_temp_path {directory}; fastcgi_temp_path {directory};
  uwsgi_temp_path {directory}; scgi_temp_path {directory};
  server {{
    listen 127.0.0.1:{port};
    {locations}
  }}
}}
""")
    os.chmod(directory, 0o755)
    return Server("nginx", ["nginx", "-p", str(directory), "-c", str(directory / "nginx.conf")], port=port, ready_path=ready_path)


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
    wait_until("the Python exporter's poll", lambda: f'databrain_datasources{{target="sim"}} {float(count)}' in get(server.base + "/metrics"),
               prefix="bench")
    return server


def blackbox(directory):
    (directory / "blackbox.yml").write_text("modules:\n  http_2xx:\n    prober: http\n")
    port = free_port()
    return Server("blackbox_exporter", ["prometheus-blackbox-exporter", f"--config.file={directory}/blackbox.yml",
                                        f"--web.listen-address=127.0.0.1:{port}"], port=port)
