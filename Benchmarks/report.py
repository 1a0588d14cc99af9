#!/usr/bin/env python3
"""Turns Benchmarks/results/latest.json into BENCHMARKS.md and Benchmarks/benchmarks.png, with the
Footprint, Scale and collector-cost sections when footprint.py, scale.py and inventory.py left
results. `--scale-only` (`--inventory-only`) splices just that section into the BENCHMARKS.md there
is (after running Benchmarks/scale.py or Benchmarks/inventory.py alone)."""
import json
import pathlib
import sys


HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
OURS, NGINX, PUSH, PY = "databrain_exporter", "nginx (static file)", "pushgateway", "python prometheus_client"


def verdict(ok):
    return "met" if ok else "**missed**"


def footprint(path):
    """The Footprint table from Benchmarks/footprint.py's results, when that ran."""
    if not path.exists():
        return []
    f = json.loads(path.read_text())
    rows, once = f["rows"], f["once"]
    lines = [
        "## Footprint",
        "",
        "What one sidecar costs, beside blackbox_exporter and pushgateway (Debian's builds), measured in the same run by",
        "`Benchmarks/footprint.py`. Image: ours is the OCI archive `scripts/build-image` makes (unpacked files; compressed",
        "layers); theirs is the same kind of minimal image (binary, ldd closure, CA bundle), since their published images",
        "cannot be pulled here. Idle: after start-up and one scrape (ours: one poll of 100 datasources, as uid 65532).",
        "Peak: VmHWM after wrk on `/metrics` (blackbox_exporter: and on `/probe`). Start-up: exec until `/metrics` answers",
        "(ours: with its first poll in). Medians of interleaved rounds.",
        "",
        "| | binary | image | image (compressed) | idle RSS | peak RSS | start-up |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in rows.items():
        lines.append(f"| {name} | {row['binary'] / 1e6:.1f} MB | {row['image'] / 1e6:.1f} MB | {row['image_compressed'] / 1e6:.1f} MB"
                     f" | {row['idle_mib']:.1f} MiB | {row['peak_mib']:.1f} MiB | {row['startup_ms']:.0f} ms |")
    lines += [
        "",
        f"A whole `databrain_exporter --once` process (one unpaginated poll of 100 datasources and the two health"
        f" probes, then the exposition) took {once['once']:.1f} ms against {once['curl']:.1f} ms for `curl` making the"
        f" same three requests over one connection, behind the same setpriv when run as root"
        f" ({once['once'] / once['curl']:.2f}×, medians of interleaved runs).",
        "",
    ]
    return lines


SCALE_START, SCALE_END = "<!-- scale: Benchmarks/scale.py, spliced by report.py -->", "<!-- /scale -->"


def scale(path):
    """The Scale section from Benchmarks/scale.py's results, when that ran, between markers."""
    if not path.exists():
        return []
    s = json.loads(path.read_text())
    sys.path.insert(0, str(HERE))
    from scale import table  # noqa: E402 (the same table the script prints)
    builds = s["builds"]
    lines = [SCALE_START, "## Scale: many targets in one process", "",
             f"`Benchmarks/scale.py`: one exporter polling N targets that all point at one local API, every {s['interval_s']:g} s",
             f"with a {s['timeout_s']:g} s timeout, health probes off, as uid 65532. *healthy*: nginx serving a static list of 25",
             "datasources; *hanging*: the simulator accepting and never answering; *mixed*: one healthy target among hanging ones.",
             "Threads: the most seen over the window; scheduled polls made: per healthy target, polls between its last successes",
             "at the start and end of the window against its interval; connections: opened by all targets during the window.",
             ("Each case ran for " + " and ".join(builds) + ", back to back, in the same run.") if len(builds) > 1 else "",
             "", table(s), ""]
    new = [row for row in s["cases"] if row["build"] == builds[0]]
    at = lambda count, case: next((r for r in new if r["targets"] == count and r["case"] == case), None)
    targets = [("threads ≤ 16 in every case", max(r["threads"] for r in new), lambda v: v <= 16, "{}")]
    if at(1000, "mixed"):
        targets.append(("healthy target among 999 hanging makes ≥ 90 % of its polls", at(1000, "mixed")["healthy_share_min"], lambda v: v >= 0.9, "{:.0%}"))
    if at(1000, "healthy"):
        targets.append(("every healthy target ≥ 95 % when all 1,000 are healthy", at(1000, "healthy")["healthy_share_min"], lambda v: v >= 0.95, "{:.0%}"))
        targets.append(("RSS ≤ 64 MiB with 1,000 healthy targets of 25 datasources", at(1000, "healthy")["rss_mib"], lambda v: v <= 64, "{} MiB"))
    targets.append(("SIGTERM → exit within 2 s in every case", max(r["sigterm_exit_s"] for r in new), lambda v: v <= 2, "{} s"))
    if len(builds) > 1:
        ours, ref = s["footprint"][builds[0]], s["footprint"][builds[1]]
        targets.append(("idle RSS at 100 datasources no worse than before", f"{ours['idle_rss_mib']} vs {ref['idle_rss_mib']}",
                        lambda v: ours["idle_rss_mib"] <= ref["idle_rss_mib"] + 0.5, "{} MiB"))
        targets.append(("`/metrics` throughput at 100 datasources no worse than before", f"{ours['metrics_rps']:,} vs {ref['metrics_rps']:,}",
                        lambda v: ours["metrics_rps"] >= 0.9 * ref["metrics_rps"], "{} requests/s"))
    lines += ["| target | result | verdict |", "|---|---|---|"]
    lines += [f"| {name} | {fmt.format(value)} | {verdict(check(value))} |" for name, value, check, fmt in targets]
    notes = HERE / "SCALE-NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().rstrip()]
    return lines + ["", SCALE_END, ""]


INVENTORY_START, INVENTORY_END = "<!-- inventory: Benchmarks/inventory.py, spliced by report.py -->", "<!-- /inventory -->"


def inventory(path):
    """The inventory collectors' section from Benchmarks/inventory.py's results, between markers."""
    if not path.exists():
        return []
    r = json.loads(path.read_text())
    o = r["organisation"]
    sets = r["sets"]
    lines = [INVENTORY_START, "## What each collector costs", "",
             f"`Benchmarks/inventory.py`: the simulator serving {o['datasources']} datasources, {o['workspaces']} workspaces, "
             f"{o['data_apps']} data apps of {o['embeds']} embeds and {o['datamarts']} datamarts; one exporter per collector set, as uid 65532,",
             "health probes off. Wall: the sum of `databrain_collector_duration_seconds`, median of polls every 500 ms. CPU:",
             "`/proc/PID/stat` over 10 s of polls with no scrape. Requests: the simulator's count per poll. Idle RSS: a fresh",
             "process after its first poll.", "",
             "| collectors | requests / poll | wall | CPU / poll | paginated: requests | paginated: wall | samples | exposition | idle RSS |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, row in sets.items():
        p = row["paginated"]
        lines.append(f"| {label} | {row['requests_per_poll']:g} | {row['wall_ms']:.1f} ms | {row['cpu_ms']:.1f} ms | {p['requests_per_poll']:g} | "
                     f"{p['wall_ms']:.1f} ms | {row['samples']:,} | {row['exposition_bytes'] / 1024:,.1f} KiB | {row['idle_rss_mib']:.1f} MiB |")
    lines += ["", "`/metrics` throughput (wrk, median of interleaved rounds), each exporter beside nginx serving its exact bytes"
              + (", and the build before the inventory collectors (datasources only) in the same run:" if "reference" in r else ":"), "",
              "| exporter | body | requests/s (p99) | nginx | ours / nginx | gzip requests/s | nginx gzip | ours / nginx (gzip) |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    rows = [(label, sets[label]["exposition_bytes"], sets[label].get("scrape")) for label in sets if "scrape" in sets[label]]
    if "reference" in r:
        rows.append((r["reference"]["label"], r["reference"]["exposition_bytes"], r["reference"]["scrape"]))
    for label, size, s in rows:
        lines.append(f"| {label} | {size / 1024:,.1f} KiB | {s['rps']:,.0f} ({s['p99_ms']:.2f} ms) | {s['nginx_rps']:,.0f} | {s['ratio']:.2f}× | "
                     f"{s['gzip_rps']:,.0f} | {s['nginx_gzip_rps']:,.0f} | {s['gzip_ratio']:.2f}× |")
    every = sets.get("every collector", {}).get("scrape")
    if every:
        lines += ["", "| target | result | verdict |", "|---|---|---|",
                  f"| `/metrics` with every collector ≥ 0.6× nginx for the same bytes | {every['ratio']:.2f}× | {verdict(every['ratio'] >= 0.6)} |"]
    notes = HERE / "INVENTORY-NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().rstrip()]
    return lines + ["", INVENTORY_END, ""]


def splice(start, end, section, before_heading):
    """Replaces (or inserts, before `before_heading`) the section between `start` and `end`."""
    document = (ROOT / "BENCHMARKS.md").read_text()
    if start in document:
        head, rest = document.split(start, 1)
        document = head + section + rest.split(end, 1)[1].lstrip("\n")
    else:
        head, after = document.split(before_heading, 1)
        document = head + section + "\n" + before_heading + after
    (ROOT / "BENCHMARKS.md").write_text(document)


def splice_scale():
    """Replaces (or inserts, before the throughput section) the Scale section of BENCHMARKS.md."""
    document = (ROOT / "BENCHMARKS.md").read_text()
    section = "\n".join(scale(HERE / "results/scale.json"))
    if SCALE_START in document:
        before, rest = document.split(SCALE_START, 1)
        document = before + section + rest.split(SCALE_END, 1)[1].lstrip("\n")
    else:
        before, after = document.split("## `/metrics` throughput", 1)
        document = before + section + "\n## `/metrics` throughput" + after
    (ROOT / "BENCHMARKS.md").write_text(document)


def main(path):
    r = json.loads(pathlib.Path(path).read_text())
    t = {int(k): v for k, v in r["throughput"].items()}
    m, poll, grow = r["memory"], r["poll"], {int(k): v for k, v in r["growth"].items()}
    lines = [
        "# Benchmarks",
        "",
        f"Measured {r['date']} at commit `{r['commit']}` on {r['machine']}, by `Benchmarks/run`",
        f"(wrk {r['wrk']}, every server on 127.0.0.1, all in one run). Absolute numbers on a shared",
        "2-core machine are noise; compare within a column. The chart is `Benchmarks/benchmarks.png`.",
        "",
        "![benchmarks](Benchmarks/benchmarks.png)",
        "",
    ]
    lines += footprint(HERE / "results/footprint.json")
    lines += scale(HERE / "results/scale.json")
    # Benchmarks/defaults.py and gzip_ceiling.py run by hand (each takes minutes): their figures and
    # what they say are kept in DEFAULTS-NOTES.md, so a full run does not lose them.
    defaults = HERE / "DEFAULTS-NOTES.md"
    if defaults.exists():
        lines += [defaults.read_text().rstrip(), ""]
    lines += inventory(HERE / "results/inventory.json")
    lines += [
        "## `/metrics` throughput",
        "",
        "Requests per second (p99 latency). nginx serves a static file with the exporter's exact bytes;",
        "pushgateway holds the same `databrain_*` series; the Python exporter polls the simulator.",
        "",
        "| datasources | body | " + " | ".join([OURS, NGINX, PUSH, PY]) + f" | ours / nginx | ours / pushgateway |",
        "|---:|---:|" + "---:|" * 6,
    ]
    for count, row in sorted(t.items()):
        cells = [f"{row[name]['rps']:,.0f} ({row[name]['p99_ms']:.2f} ms)" for name in (OURS, NGINX, PUSH, PY)]
        lines.append(f"| {count:,} | {row['bytes'] / 1024:,.0f} KiB | " + " | ".join(cells) +
                     f" | {row[OURS]['rps'] / row[NGINX]['rps']:.2f}× | {row[OURS]['rps'] / row[PUSH]['rps']:.1f}× |")
    lines += ["", "### With `Accept-Encoding: gzip` (what Prometheus sends)", "",
              "nginx serves a pre-compressed copy (`gzip_static`); pushgateway and prometheus_client compress per request.", "",
              "| datasources | " + " | ".join([OURS, NGINX, PUSH, PY]) + " | ours / nginx | ours / pushgateway |",
              "|---:|" + "---:|" * 6]
    for count, row in sorted(t.items()):
        g = row["gzip"]
        cells = [f"{g[name]['rps']:,.0f} ({g[name]['p99_ms']:.2f} ms)" for name in (OURS, NGINX, PUSH, PY)]
        lines.append(f"| {count:,} | " + " | ".join(cells) +
                     f" | {g[OURS]['rps'] / g[NGINX]['rps']:.2f}× | {g[OURS]['rps'] / g[PUSH]['rps']:.1f}× |")
    lines += ["", "## Memory (RSS, MiB)", "",
              "Idle: after start-up and one poll of 100 datasources (the peers: after start-up). Peak: VmHWM after",
              "the load above (blackbox_exporter: after the same wrk load on its `/metrics` and on `/probe`).", "",
              "| process | idle | peak under load |", "|---|---:|---:|"]
    for name in (OURS, "blackbox_exporter", PUSH, PY, NGINX):
        idle, peak = m.get(f"{name} idle"), m.get(f"{name} peak")
        lines.append(f"| {name} | {idle:.1f} |" if idle else f"| {name} | – |")
        lines[-1] += f" {peak:.1f} |" if peak else " – |"
    ours_poll, curl = poll["databrain_exporter --once"], poll["curl (100 URLs, one connection)"]
    lines += ["", "## One poll: 1,000 datasources in 100 pages", "",
              "Median of interleaved runs of whole processes: the exporter's `--once` (start, poll every page, print",
              "the exposition, exit) beside one `curl` fetching the same 100 URLs over one connection.", "",
              "| command | wall | CPU (user+sys) |", "|---|---:|---:|",
              f"| `databrain_exporter --once` | {ours_poll['wall_ms']:.1f} ms | {ours_poll['cpu_ms']:.1f} ms |",
              f"| `curl` with 100 URLs | {curl['wall_ms']:.1f} ms | {curl['cpu_ms']:.1f} ms |", "",
              f"Inside `--once`, the poll itself (`databrain_poll_duration_seconds`) took {poll['poll_only_ms']:.1f} ms; the rest is "
              "process start-up and exit. The exporter opened "
              f"{poll['connections_per_poll']:.0f} TCP connection(s) per poll (`databrain_api_connections_opened_total`).", "",
              "A poll as the running exporter does it, every 400 ms, beside curl's transfer time (the sum of its per-URL",
              "`time_total`: no process start-up on either side):", "",
              "| | wall | CPU |", "|---|---:|---:|",
              f"| exporter poll (`databrain_poll_duration_seconds`, median) | {poll['in_process_poll_ms']:.1f} ms | {poll['in_process_cpu_ms']:.1f} ms |",
              f"| curl transfers of the same 100 URLs | {poll['curl_transfer_ms']:.1f} ms | – |", "",
              "## How cost grows", "",
              "Single-target exporter, unpaginated fetch; scrape time is the median of 30 sequential scrapes on one connection.", "",
              "| datasources | exposition | scrape | per 1,000 series | RSS | poll |", "|---:|---:|---:|---:|---:|---:|"]
    for count, row in sorted(grow.items()):
        lines.append(f"| {count:,} | {row['bytes'] / 1024:,.0f} KiB | {row['scrape_ms']:.2f} ms | "
                     f"{row['scrape_ms'] / count * 1000:.3f} ms | {row['rss_mib']:.1f} MiB | {row['poll_ms']:.0f} ms |")
    small, large = t[min(t)], t[max(t)]
    lines += ["", "## Targets", "", "| target | result | verdict |", "|---|---|---|",
              f"| ≥ 0.6× nginx at {min(t):,} | {small[OURS]['rps'] / small[NGINX]['rps']:.2f}× | {verdict(small[OURS]['rps'] >= 0.6 * small[NGINX]['rps'])} |",
              f"| ≥ 0.6× nginx at {max(t):,} | {large[OURS]['rps'] / large[NGINX]['rps']:.2f}× | {verdict(large[OURS]['rps'] >= 0.6 * large[NGINX]['rps'])} |",
              f"| ≥ 20× pushgateway (worst size) | {min(row[OURS]['rps'] / row[PUSH]['rps'] for row in t.values()):.1f}× | "
              f"{verdict(all(row[OURS]['rps'] >= 20 * row[PUSH]['rps'] for row in t.values()))} |",
              f"| idle RSS ≤ blackbox_exporter | {m[OURS + ' idle']:.1f} vs {m['blackbox_exporter idle']:.1f} MiB | {verdict(m[OURS + ' idle'] <= m['blackbox_exporter idle'])} |",
              f"| peak RSS ≤ blackbox_exporter | {m[OURS + ' peak']:.1f} vs {m['blackbox_exporter peak']:.1f} MiB | {verdict(m[OURS + ' peak'] <= m['blackbox_exporter peak'])} |",
              f"| one poll ≤ 1.15× curl (wall), whole processes | {ours_poll['wall_ms'] / curl['wall_ms']:.2f}× | {verdict(ours_poll['wall_ms'] <= 1.15 * curl['wall_ms'])} |",
              f"| one poll ≤ 1.15× curl (wall), in the running exporter | {poll['in_process_poll_ms'] / poll['curl_transfer_ms']:.2f}× | {verdict(poll['in_process_poll_ms'] <= 1.15 * poll['curl_transfer_ms'])} |"]
    footprint_path = HERE / "results/footprint.json"
    if footprint_path.exists():
        f = json.loads(footprint_path.read_text())
        ours, blackbox, once = f["rows"][OURS], f["rows"]["blackbox_exporter"], f["once"]
        lines += [f"| shipped binary ≤ 25 MB (Footprint) | {ours['binary'] / 1e6:.1f} MB | {verdict(ours['binary'] <= 25e6)} |",
                  f"| image ≤ 50 MB unpacked (Footprint) | {ours['image'] / 1e6:.1f} MB | {verdict(ours['image'] <= 50e6)} |",
                  f"| idle RSS ≤ 20 MiB (Footprint) | {ours['idle_mib']:.1f} MiB | {verdict(ours['idle_mib'] <= 20)} |",
                  f"| peak RSS ≤ blackbox_exporter (Footprint, 100 datasources) | {ours['peak_mib']:.1f} vs {blackbox['peak_mib']:.1f} MiB | {verdict(ours['peak_mib'] <= blackbox['peak_mib'])} |",
                  f"| `--once` ≤ 1.1× curl, whole processes (Footprint) | {once['once'] / once['curl']:.2f}× | {verdict(once['once'] <= 1.1 * once['curl'])} |"]
    lines += [""]
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text().rstrip(), ""]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines))

    import matplotlib  # only the full report draws the chart
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4.5))
    names = [OURS, NGINX, PUSH, PY]
    width = 0.2
    for i, name in enumerate(names):
        left.bar([x + i * width for x in range(len(t))], [t[c][name]["rps"] for c in sorted(t)], width, label=name)
    left.set_xticks([x + 1.5 * width for x in range(len(t))], [f"{c:,}" for c in sorted(t)])
    left.set_yscale("log")
    left.set_title("/metrics requests/s (log)")
    left.set_xlabel("datasources")
    left.legend(fontsize=8)
    processes = [OURS, "blackbox_exporter", PUSH, PY]
    middle.bar([x - 0.2 for x in range(len(processes))], [m.get(f"{p} idle", 0) for p in processes], 0.4, label="idle")
    middle.bar([x + 0.2 for x in range(len(processes))], [m.get(f"{p} peak", 0) for p in processes], 0.4, label="peak under load")
    middle.set_xticks(range(len(processes)), [p.replace(" prometheus_client", "") for p in processes], fontsize=8)
    middle.set_title("RSS (MiB)")
    middle.legend(fontsize=8)
    counts = sorted(grow)
    right.plot(counts, [grow[c]["scrape_ms"] for c in counts], marker="o", label="scrape ms")
    right.plot(counts, [grow[c]["rss_mib"] for c in counts], marker="s", label="RSS MiB")
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_title("growth with datasources (log-log)")
    right.legend(fontsize=8)
    figure.suptitle(f"databrain_exporter benchmarks, {r['date']}, commit {r['commit']}")
    figure.tight_layout()
    figure.savefig(HERE / "benchmarks.png", dpi=90)
    print("report: wrote BENCHMARKS.md and Benchmarks/benchmarks.png")


if __name__ == "__main__":
    if sys.argv[1:] == ["--scale-only"]:
        splice_scale()  # after Benchmarks/scale.py alone: the rest of BENCHMARKS.md stays
    elif sys.argv[1:] == ["--inventory-only"]:
        splice(INVENTORY_START, INVENTORY_END, "\n".join(inventory(HERE / "results/inventory.json")), "## `/metrics` throughput")
    else:
        main(sys.argv[1] if len(sys.argv) > 1 else HERE / "results/latest.json")
