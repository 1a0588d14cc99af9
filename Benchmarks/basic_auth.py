#!/usr/bin/env python3
"""300 concurrent scrapes with basic auth against one exporter: how long until all are answered.

The web config holds one user with a cost-12 bcrypt hash (made with Python's crypt module, as
htpasswd -nBC 12 would). All 300 clients send the right password at once, as a burst of scrapers
would. Prints the wall time and the status codes. Run it on two binaries to compare them:
  Benchmarks/basic_auth.py --exporter OLD --simulator SIM; Benchmarks/basic_auth.py --exporter NEW --simulator SIM
"""
import argparse
import base64
import collections
import concurrent.futures
import crypt
import http.client
import os
import re
import subprocess
import tempfile
import time

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
from harness import SERVICE_USER_PREFIX  # noqa: E402

PASSWORD = "s3cret-pa55"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--simulator", required=True)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--cost", type=int, default=12)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="basic-auth-")
    os.chmod(work, 0o755)
    hashed = crypt.crypt(PASSWORD, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=2 ** args.cost))
    config = os.path.join(work, "web.yml")
    with open(config, "w") as f:
        f.write(f"basic_auth_users:\n  prometheus: {hashed}\n")
    token = os.path.join(work, "token")
    with open(token, "w") as f:
        f.write("t\n")
    for path in (config, token):
        os.chmod(path, 0o644)
    sim = subprocess.Popen([args.simulator, "--listen", "127.0.0.1:0", "--token", "t"], stdout=subprocess.PIPE, text=True)
    sim_url = re.search(r"(https?://127\.0\.0\.1:\d+)", sim.stdout.readline())[1]
    exporter = subprocess.Popen(SERVICE_USER_PREFIX + [args.exporter, "--databrain.url", sim_url, "--databrain.token-file", token,
                                        "--web.listen-address", "127.0.0.1:0", "--web.config.file", config, "--web.max-requests", "0"],
                                stderr=subprocess.PIPE, text=True)
    try:
        port = None
        while port is None:
            line = exporter.stderr.readline()
            if not line:
                raise SystemExit("basic_auth: the exporter exited before listening")
            match = re.search(r"listening address=127\.0\.0\.1:(\d+)", line)
            port = int(match[1]) if match else None
        exporter.stderr = None
        header = {"Authorization": "Basic " + base64.b64encode(f"prometheus:{PASSWORD}".encode()).decode()}

        def scrape(_):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=args.timeout)
            try:
                connection.request("GET", "/metrics", headers=header)
                return connection.getresponse().status
            except OSError as error:
                return type(error).__name__
            finally:
                connection.close()

        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            statuses = collections.Counter(pool.map(scrape, range(args.clients)))
        took = time.perf_counter() - start
        print(f"{args.clients} concurrent scrapes, cost-{args.cost} bcrypt: all answered in {took:.2f} s; statuses {dict(statuses)}")
    finally:
        exporter.terminate()
        exporter.wait()
        sim.terminate()
        sim.wait()


if __name__ == "__main__":
    main()
