import Foundation

/// A real Prometheus server (Debian's `prometheus` package) scraping given targets as job
/// `databrain` (the job the shipped alert rules select), optionally evaluating rule files.
final class PrometheusServer: @unchecked Sendable {
    let process: ManagedProcess
    let baseURL: String

    /// Whether the end-to-end tests can run: Prometheus installed, or CI (where its absence must fail).
    static var shouldRun: Bool {
        BuildProducts.systemTool("prometheus") != nil || ProcessInfo.processInfo.environment["CI"] != nil
    }

    /// `rules` are rule files' contents, written beside the configuration; `alertmanager`
    /// (`host:port`) is where firing and resolved alerts are sent.
    init(scraping target: String, scrapeInterval: String = "1s", rules: [String] = [], alertmanager: String? = nil) async throws {
        guard let binary = BuildProducts.systemTool("prometheus") else {
            throw HarnessError("prometheus is not installed: run scripts/install-deps (the test command does)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var ruleFiles: [String] = []
        for (index, contents) in rules.enumerated() {
            let path = directory.appendingPathComponent("rules-\(index).yml").path
            try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
            ruleFiles.append("'\(path)'")
        }
        let alerting = alertmanager.map { "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['\($0)']\n" } ?? ""
        let config = """
            global:
              scrape_interval: \(scrapeInterval)
              evaluation_interval: \(scrapeInterval)
            rule_files: [\(ruleFiles.joined(separator: ", "))]
            \(alerting)scrape_configs:
              - job_name: databrain
                static_configs:
                  - targets: ['\(target)']
            """
        let configPath = directory.appendingPathComponent("prometheus.yml").path
        try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
        let (process, port) = try await FreePort.start(name: "prometheus", executable: binary) { port in
            ["--config.file=\(configPath)", "--storage.tsdb.path=\(directory.path)/data",
             "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn"]
        }
        self.process = process
        self.baseURL = "http://127.0.0.1:\(port)"
    }

    /// One series of a query result: its labels and its last value.
    struct Sample {
        var labels: [String: String]
        var value: Double
    }

    /// The value of an instant query's first sample, or nil when the result is empty.
    func query(_ promql: String) async throws -> Double? {
        try await instant(promql).first?.value
    }

    /// An instant query's series; throws if Prometheus rejects the query or fails evaluating it.
    func instant(_ promql: String) async throws -> [Sample] {
        try await samples(from: api("/api/v1/query", ["query": promql]))
    }

    /// A range query over the last `seconds` (as Grafana's time-series panels ask), last value per series.
    func range(_ promql: String, seconds: Int = 30, step: Int = 1) async throws -> [Sample] {
        let end = Int(Date().timeIntervalSince1970)
        let parameters = ["query": promql, "start": String(end - seconds), "end": String(end), "step": String(step)]
        return try await samples(from: api("/api/v1/query_range", parameters))
    }

    /// Alerts Prometheus holds now (pending or firing), from `/api/v1/alerts`.
    func alerts(state: String = "firing") async throws -> [[String: String]] {
        let data = try await api("/api/v1/alerts", [:])
        let alerts = (data["alerts"] as? [[String: Any]]) ?? []
        return alerts.filter { ($0["state"] as? String) == state }.map { ($0["labels"] as? [String: String]) ?? [:] }
    }

    /// Each loaded rule's name, health and last evaluation error, from `/api/v1/rules`.
    func ruleHealth() async throws -> [(name: String, health: String, error: String)] {
        let data = try await api("/api/v1/rules", [:])
        let groups = (data["groups"] as? [[String: Any]]) ?? []
        return groups.flatMap { ($0["rules"] as? [[String: Any]]) ?? [] }.map {
            (($0["name"] as? String) ?? "?", ($0["health"] as? String) ?? "?", ($0["lastError"] as? String) ?? "")
        }
    }

    /// Values of a label across series matching `match` (what Grafana's `label_values()` asks).
    func labelValues(_ label: String, match: String) async throws -> [String] {
        let url = baseURL + "/api/v1/label/\(label)/values?match%5B%5D=" + Self.encode(match)
        let reply = try await HTTP.get(url)
        let object = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
        guard object?["status"] as? String == "success" else { throw HarnessError("label values \(label) failed: \(reply.body)") }
        return (object?["data"] as? [String]) ?? []
    }

    /// `data` of a successful API answer; a rejected query or failed evaluation throws with Prometheus' error.
    private func api(_ path: String, _ parameters: [String: String]) async throws -> [String: Any] {
        let query = parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.encode($0.value))" }.joined(separator: "&")
        let reply = try await HTTP.get(baseURL + path + (query.isEmpty ? "" : "?" + query))
        let object = try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
        guard let object, object["status"] as? String == "success", let data = object["data"] as? [String: Any] else {
            throw HarnessError("\(path) \(parameters["query"] ?? "") failed (\(reply.status)): \(reply.body)")
        }
        return data
    }

    private func samples(from data: [String: Any]) throws -> [Sample] {
        if data["resultType"] as? String == "scalar", let pair = data["result"] as? [Any], let text = pair.last as? String {
            return [Sample(labels: [:], value: Double(text) ?? .nan)]
        }
        let series = (data["result"] as? [[String: Any]]) ?? []
        return series.map { entry in
            let labels = (entry["metric"] as? [String: String]) ?? [:]
            // Instant vectors carry "value": [t, "v"]; range matrices "values": [[t, "v"], …].
            let pair = (entry["value"] as? [Any]) ?? ((entry["values"] as? [[Any]])?.last ?? [])
            return Sample(labels: labels, value: (pair.last as? String).flatMap(Double.init) ?? .nan)
        }
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
