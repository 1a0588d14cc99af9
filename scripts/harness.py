"""Helpers the Python scripts share (benchmarks, soak, image check, dashboard preview): free ports,
waiting with a deadline, HTTP GETs, /proc figures, the service-user prefix and OCI archives.

Import it with `sys.path.insert(0, <repo>/scripts)`; it uses the standard library only.
"""
import json
import os
import pathlib
import socket
import tarfile
import time
import urllib.request

# How scripts start the exporter: as uid/gid 65532 with no supplementary groups when they run as
# root, as the image and the Kubernetes sidecar run it (setpriv execs in place, so the process
# they measure is the exporter itself).
SERVICE_USER_PREFIX = ["setpriv", "--reuid=65532", "--regid=65532", "--clear-groups", "--"] if os.geteuid() == 0 else []


def free_port():
    """A port nothing listens on now, for servers that cannot report a kernel-chosen port
    (nginx, pushgateway, blackbox_exporter, Prometheus)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, condition, timeout=60, every=0.05, prefix="wait"):
    """Calls `condition` until it returns something truthy (OSError counts as not yet), and
    returns that; exits with one line naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except OSError:
            pass
        time.sleep(every)
    raise SystemExit(f"{prefix}: timed out after {timeout}s waiting for {what}")


def get(url, headers=None, data=None, method="GET", timeout=30):
    """The body of a request as text; raises on a non-2xx status or a network error."""
    request = urllib.request.Request(url, headers=headers or {}, data=data, method=method)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read().decode()


def answers(url):
    """The body if `url` answers 200 now, else None (never raises)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200 and response.read()
    except OSError:
        return None


def status_mib(pid, field):
    """A memory field of /proc/PID/status (VmRSS, VmHWM, ...) in MiB."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def unpack_oci(archive, into, rootfs=None):
    """Reads an OCI archive (as scripts/build-image writes it): returns the image config, the
    size of its compressed layers and the unpacked size of their files. With `rootfs`, the
    layers are also extracted there (numeric owners kept)."""
    into = pathlib.Path(into)
    with tarfile.open(archive) as tar:
        tar.extractall(into)
    blob = lambda digest: into / "blobs" / "sha256" / digest.split(":", 1)[1]
    index = json.loads((into / "index.json").read_text())
    manifest = json.loads(blob(index["manifests"][0]["digest"]).read_bytes())
    config = json.loads(blob(manifest["config"]["digest"]).read_bytes())
    compressed = unpacked = 0
    for layer in manifest["layers"]:
        compressed += layer["size"]
        with tarfile.open(blob(layer["digest"])) as layer_tar:  # gzip or plain, tarfile detects which
            unpacked += sum(member.size for member in layer_tar.getmembers() if member.isfile())
            if rootfs is not None:
                layer_tar.extractall(rootfs, numeric_owner=True)
    return config, compressed, unpacked
