import Foundation

/// A real Alertmanager (Debian's `prometheus-alertmanager`) running a configuration the test
/// derives from the shipped one: only the receivers and the group timers change.
final class AlertmanagerServer: @unchecked Sendable {
    static let shippedPath = "deploy/alertmanager/alertmanager.yml"
    let process: ManagedProcess
    /// `127.0.0.1:PORT`, as Prometheus' `alerting` target.
    let hostPort: String

    /// Whether the delivery tests can run: Alertmanager installed, or CI (where its absence must fail).
    static var shouldRun: Bool {
        BuildProducts.systemTool("prometheus-alertmanager") != nil || ProcessInfo.processInfo.environment["CI"] != nil
    }

    /// The shipped configuration with every receiver delivering to `webhook` (resolved
    /// notifications included) and `group_wait`/`group_interval` shortened to 1s. Routes, grouping,
    /// matchers and inhibit rules are the shipped ones, byte for byte.
    static func shippedConfig(deliveringTo webhook: String) throws -> String {
        let shipped = try RepositoryFiles.text(shippedPath)
        guard let receivers = shipped.range(of: "\nreceivers:\n") else { throw HarnessError("\(shippedPath) has no receivers: block") }
        let names = shipped[receivers.upperBound...].matches(of: /(?m)^  - name: (\S+)$/).map { String($0.1) }
        guard !names.isEmpty else { throw HarnessError("\(shippedPath) names no receiver") }
        let webhooks = names.map { "  - name: \($0)\n    webhook_configs:\n      - url: '\(webhook)'\n        send_resolved: true\n" }
        var config = String(shipped[..<receivers.lowerBound]) + "\nreceivers:\n" + webhooks.joined()
        config = config.replacing(/(?m)^(\s+group_(?:wait|interval):\s*)\S+$/) { "\($0.1)1s" }
        return config
    }

    init(config: String) async throws {
        guard let binary = BuildProducts.systemTool("prometheus-alertmanager") else {
            throw HarnessError("prometheus-alertmanager is not installed: run scripts/install-deps (the test command does)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("am-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configPath = directory.appendingPathComponent("alertmanager.yml").path
        try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
        // The shipped notification templates, beside the configuration that names them.
        let shippedDirectory = RepositoryFiles.url("deploy/alertmanager")
        for file in try FileManager.default.contentsOfDirectory(atPath: shippedDirectory.path) where file.hasSuffix(".tmpl") {
            try FileManager.default.copyItem(at: shippedDirectory.appendingPathComponent(file), to: directory.appendingPathComponent(file))
        }
        let (process, port) = try await FreePort.start(name: "alertmanager", executable: binary) { port in
            ["--config.file=\(configPath)", "--storage.path=\(directory.path)/data",
             "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=", "--log.level=warn"]
        }
        self.process = process
        self.hostPort = "127.0.0.1:\(port)"
    }

    /// One alert as Alertmanager holds it (`/api/v2/alerts`).
    struct Alert {
        var labels: [String: String]
        /// `active`, `suppressed` or `unprocessed`.
        var state: String
        /// Fingerprints of the alerts that inhibit this one.
        var inhibitedBy: [String]
    }

    /// Every alert Alertmanager holds now, active or suppressed.
    func alerts() async throws -> [Alert] {
        let reply = try await HTTP.get("http://\(hostPort)/api/v2/alerts")
        guard reply.status == 200, let list = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [[String: Any]] else {
            throw HarnessError("/api/v2/alerts answered \(reply.status): \(reply.body)")
        }
        return list.map { entry in
            let status = entry["status"] as? [String: Any] ?? [:]
            return Alert(labels: entry["labels"] as? [String: String] ?? [:], state: status["state"] as? String ?? "?",
                         inhibitedBy: status["inhibitedBy"] as? [String] ?? [])
        }
    }

    /// The alerts Alertmanager holds whose labels include `labels`.
    func alerts(_ labels: [String: String]) async throws -> [Alert] {
        try await alerts().filter { alert in labels.allSatisfy { alert.labels[$0.key] == $0.value } }
    }
}
