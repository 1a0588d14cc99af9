import FoundationEssentials

/// The `/` page: name, version, a link to the metrics and each target's last poll. Never the token.
enum LandingPage {
    /// `linkPrefix` starts every link (the external URL's path behind a path-prefix proxy).
    static func render(telemetryPath: String, linkPrefix: String = "", targets: [TargetStatus], shard: ShardStatus? = nil, now: Date = Date()) -> String {
        var rows = ""
        for target in targets {
            let result: String
            if !target.polled {
                result = "waiting for the first poll"
            } else if let error = target.lastError {
                result = "<span class=\"bad\">failed</span>: \(escape(error))"
            } else {
                result = "<span class=\"good\">ok</span>"
            }
            rows += """
                <tr><td>\(escape(target.name))</td><td>\(escape(target.url))</td><td>\(result)</td>\
                <td>\(target.datasources.map(String.init) ?? "–")</td>\
                <td>\(age(target.lastPoll, now: now))</td><td>\(age(target.lastSuccess, now: now))</td><td>\(health(target.health))</td>\
                <td>\(collectors(target.collectors))</td></tr>

                """
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Databrain Exporter</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.good{color:#080}.bad{color:#b00}</style>
            </head><body>
            <h1>Databrain Exporter</h1>
            <p>Version \(escape(BuildInfo.version)) (revision \(escape(BuildInfo.revision)))</p>
            <p><a href="\(escape(linkPrefix + telemetryPath))">Metrics</a> · <a href="\(escape(linkPrefix))/-/healthy">Health</a> · <a href="\(escape(linkPrefix))/-/ready">Readiness</a></p>
            <h2>Targets</h2>
            \(shardLine(shard))<table><tr><th>Target</th><th>URL</th><th>Last poll</th><th>Datasources</th><th>Last poll age</th><th>Last success age</th><th>Databrain health</th><th>Collectors</th></tr>
            \(rows)</table>
            </body></html>

            """
    }

    /// Under `--config.shards`, which share of the configuration this replica polls.
    private static func shardLine(_ shard: ShardStatus?) -> String {
        guard let shard, shard.sharding.shards > 1 else { return "" }
        return "<p>Shard \(shard.sharding.shard) of \(shard.sharding.shards) (0 to \(shard.sharding.shards - 1)): "
            + "this replica polls \(shard.owned) of the \(shard.configured) configured targets, listed below.</p>\n"
    }

    /// Each collector's state and last good count: `datasources ok (3), workspaces failed (2)`.
    private static func collectors(_ collectors: [CollectorStatus]) -> String {
        collectors.map { collector in
            let state = collector.up.map { $0 ? "<span class=\"good\">ok</span>" : "<span class=\"bad\">failed</span>" } ?? "waiting"
            return "\(collector.name.rawValue) \(state)" + (collector.count.map { " (\($0))" } ?? "")
        }.joined(separator: ", ")
    }

    /// Live and ready, and the checks that are not UP.
    private static func health(_ summary: HealthSummary?) -> String {
        guard let summary else { return "–" }
        func state(_ ok: Bool, _ word: String) -> String { ok ? "<span class=\"good\">\(word)</span>" : "<span class=\"bad\">not \(word)</span>" }
        var text = state(summary.live, "live") + ", " + state(summary.ready, "ready")
        if !summary.failingChecks.isEmpty { text += ": " + escape(summary.failingChecks.joined(separator: ", ")) }
        if let problem = summary.problem { text += " (" + escape(problem) + ")" }
        return text
    }

    /// "12s ago", with the UTC time as a tooltip.
    private static func age(_ date: Date?, now: Date) -> String {
        guard let date else { return "never" }
        let seconds = max(0, Int(now.timeIntervalSince(date).rounded()))
        return "<span title=\"\(date.formatted(Date.ISO8601FormatStyle()))\">\(seconds)s ago</span>"
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
