#!/usr/bin/env python3
"""What a user would write instead of databrain_exporter: prometheus_client polling the simulator.

Polls GET {url}/api/v2/datasource (paginated, 10 per page) every --interval seconds on a thread and
serves the same core series with prometheus_client's own HTTP server. Used only by Benchmarks/run.
"""
import argparse
import json
import threading
import time
import urllib.request

from prometheus_client import Gauge, start_http_server

UP = Gauge("databrain_up", "1 if the last poll worked", ["target"])
COUNT = Gauge("databrain_datasources", "datasources in the last poll", ["target"])
INFO = Gauge("databrain_datasource_info", "1 per datasource", ["target", "datasource"])


def fetch_all(url, token, paginate):
    names, page = [], 1
    while True:
        query = f"?isPagination=true&pageNumber={page}" if paginate else ""
        request = urllib.request.Request(f"{url}/api/v2/datasource{query}", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            items = json.load(response)["data"]
        names += [item["name"] for item in items]
        if not paginate or len(items) < 10:
            return names
        page += 1


def poll_forever(args, ready):
    known = set()
    while True:
        try:
            names = set(fetch_all(args.url, args.token, args.paginate))
            for gone in known - names:
                INFO.remove(args.target, gone)
            for name in names - known:
                INFO.labels(args.target, name).set(1)
            known = names
            COUNT.labels(args.target).set(len(names))
            UP.labels(args.target).set(1)
        except Exception:  # noqa: BLE001 - any failure is "down", as in the real exporter
            UP.labels(args.target).set(0)
        ready.set()
        time.sleep(args.interval)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--target", default="sim")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed)")
    parser.add_argument("--interval", type=float, default=60)
    parser.add_argument("--paginate", action="store_true")
    args = parser.parse_args()
    ready = threading.Event()
    threading.Thread(target=poll_forever, args=(args, ready), daemon=True).start()
    ready.wait()
    server, _ = start_http_server(args.port, addr="127.0.0.1")
    print(f"listening on 127.0.0.1:{server.server_port}", flush=True)
    threading.Event().wait()
