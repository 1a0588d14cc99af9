import Foundation

/// A running `databrain_exporter` and ways to read its metrics.
final class Exporter: @unchecked Sendable {
    let process: ManagedProcess
    let baseURL: String
    /// Secrets that must never appear in anything the process writes.
    let secrets: [String]
    /// Whether `/metrics` is plain HTTP without auth (no `--web.config.file`), so the harness can
    /// check it itself. (URLSession on Linux does not return from a 401 with a Basic challenge.)
    let servesOpenMetrics: Bool

    /// Starts the exporter with `arguments` (a listen address on port 0 is added) and waits until it listens.
    init(arguments: [String], environment: [String: String] = [:], secrets: [String]) async throws {
        process = try ManagedProcess(
            name: "exporter", executable: BuildProducts.exporter,
            arguments: ["--web.listen-address", "127.0.0.1:0", "--log.level", "debug"] + arguments, environment: environment,
            asServiceUser: true)
        // The "listening" line in logfmt or JSON.
        let address = try await process.waitForOutput(#"(?:msg=listening address=|"msg":"listening","address":")(127\.0\.0\.1:\d+)"#)
        baseURL = "http://\(address)"
        try ServiceUser.check(pid: process.pid, name: "exporter")
        self.secrets = secrets
        servesOpenMetrics = !arguments.contains("--web.config.file")
    }

    /// Polling every 300 ms (100 pages at a time in some tests) needs far more than the default
    /// budget of 200 requests a minute; tests of the budget start the exporter with their own.
    static let unthrottled = ["--databrain.requests-per-minute", "1000000"]

    /// An exporter polling the simulator fast, with the token in a file it re-reads.
    convenience init(simulator: Simulator, tokenFile: TokenFile? = nil, extra: [String] = []) async throws {
        let file = try tokenFile ?? TokenFile(simulator.token)
        try await self.init(
            arguments: ["--databrain.url", simulator.baseURL, "--databrain.target-name", "sim", "--databrain.token-file", file.path,
                        "--poll.interval", "300ms", "--poll.timeout", "250ms"] + Self.unthrottled + extra,
            secrets: [simulator.token])
    }

    /// An exporter polling `url` (no simulator behind it: a closed port, an unresolvable name) fast,
    /// as target `target`, with a throwaway token.
    convenience init(unreachable url: String, target: String) async throws {
        let token = "unused-token-\(UUID().uuidString)"
        let file = try TokenFile(token)
        try await self.init(
            arguments: ["--databrain.url", url, "--databrain.target-name", target, "--databrain.token-file", file.path,
                        "--poll.interval", "300ms", "--poll.timeout", "250ms"] + Self.unthrottled,
            secrets: [token])
    }

    /// `127.0.0.1:PORT`, as a Prometheus scrape target.
    var hostPort: String { String(baseURL.dropFirst("http://".count)) }

    /// The port it listens on.
    var port: Int { Int(baseURL.split(separator: ":").last!)! }

    func scrape() async throws -> Exposition {
        let reply = try await HTTP.get(baseURL + "/metrics")
        guard reply.status == 200 else { throw HarnessError("/metrics answered \(reply.status)") }
        return Exposition(reply.body)
    }

    /// Waits until a scrape satisfies `condition`.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(45), _ condition: @escaping (Exposition) -> Bool) async throws -> Exposition {
        try await eventually(what, timeout: timeout) {
            let exposition = try await scrape()
            return condition(exposition) ? exposition : nil
        }
    }

    /// Stops the exporter, checks that its last exposition passes `promtool check metrics`, that it
    /// exited 0 and never wrote a secret anywhere.
    func stopAndCheckSecrets() async throws {
        if process.isRunning && servesOpenMetrics { try await checkExpositionWithPromtool() }
        let status = try await process.stop()
        guard status == 0 else { throw HarnessError("exporter exited \(status) on SIGTERM:\n\(process.stderr)") }
        try assertNoSecretsWritten()
    }

    /// Whatever the test did to it, the exporter still serves an exposition Prometheus accepts.
    func checkExpositionWithPromtool() async throws {
        guard let promtool = BuildProducts.systemTool("promtool") else { return }  // CI installs it
        let reply = try await HTTP.get(baseURL + "/metrics")
        guard reply.status == 200 else { throw HarnessError("/metrics answered \(reply.status)") }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("exposition-\(UUID().uuidString)").path
        try Data(reply.body.utf8).write(to: URL(fileURLWithPath: input))
        defer { try? FileManager.default.removeItem(atPath: input) }
        let check = try ManagedProcess(name: "promtool", executable: promtool, arguments: ["check", "metrics"], stdin: input)
        guard try await check.waitForExit(timeout: .seconds(60)) == 0 else {
            throw HarnessError("promtool check metrics rejected the exposition: \(check.stdout)\(check.stderr)")
        }
    }

    /// Scrapes as Prometheus does (OpenMetrics preferred) and reads the answer with
    /// prometheus_client's strict OpenMetrics parser, which rejects what the spec forbids
    /// (a counter family named with `_total`, a missing `# EOF`, an unescaped HELP quote, …).
    func checkOpenMetricsWithPrometheusClient() async throws {
        let accept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
        let reply = try await HTTP.get(baseURL + "/metrics", headers: ["Accept": accept])
        guard reply.status == 200 else { throw HarnessError("/metrics answered \(reply.status)") }
        let contentType = reply.headers.first { $0.key.lowercased() == "content-type" }?.value ?? ""
        guard contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8" else { throw HarnessError("Content-Type \(contentType) for OpenMetrics") }
        guard reply.body.hasSuffix("# EOF\n") else { throw HarnessError("the OpenMetrics exposition does not end with # EOF") }
        guard let python = BuildProducts.systemTool("python3") else { return }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("openmetrics-\(UUID().uuidString)").path
        try Data(reply.body.utf8).write(to: URL(fileURLWithPath: input))
        defer { try? FileManager.default.removeItem(atPath: input) }
        let script = "import sys; from prometheus_client.openmetrics.parser import text_string_to_metric_families as p; "
            + "families = list(p(sys.stdin.read())); print(len(families))"
        let check = try ManagedProcess(name: "prometheus_client", executable: python, arguments: ["-c", script], stdin: input)
        guard try await check.waitForExit(timeout: .seconds(60)) == 0 else {
            throw HarnessError("prometheus_client's OpenMetrics parser rejected the exposition: \(check.stderr.suffix(800))")
        }
    }

    func assertNoSecretsWritten() throws {
        for secret in secrets where process.stdout.contains(secret) || process.stderr.contains(secret) {
            throw HarnessError("the exporter wrote a secret (\(secret.prefix(4))…) to its output")
        }
    }
}

/// A token file in a temporary directory, rewritable to simulate rotation.
struct TokenFile {
    let path: String

    init(_ token: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)").path
        try write(token)
    }

    func write(_ token: String) throws {
        // Write-then-rename, as Kubernetes swaps a secret: the exporter never sees half a file.
        let staging = path + ".new"
        try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: staging))
        _ = rename(staging, path)
    }
}

/// A parsed text exposition: `value("databrain_up", ["target": "sim"])`.
struct Exposition {
    let text: String
    private(set) var samples: [(name: String, labels: [String: String], value: Double)] = []

    init(_ text: String) {
        self.text = text
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else {
                samples.append((String(series), [:], value))
                continue
            }
            samples.append((String(series[..<brace]), Self.parseLabels(series[series.index(after: brace)..<series.index(before: series.endIndex)]), value))
        }
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { sample in sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value } }?.value
    }

    func all(_ name: String) -> [[String: String]] {
        samples.filter { $0.name == name }.map(\.labels)
    }

    private static func parseLabels(_ text: Substring) -> [String: String] {
        var labels: [String: String] = [:]
        var rest = text[...]
        while let equals = rest.firstIndex(of: "=") {
            let key = String(rest[..<equals]).trimmingCharacters(in: CharacterSet(charactersIn: ", "))
            var index = rest.index(equals, offsetBy: 2)  // skip ="
            var value = ""
            while index < rest.endIndex, rest[index] != "\"" {
                if rest[index] == "\\" {
                    index = rest.index(after: index)
                    value.append(rest[index] == "n" ? "\n" : rest[index])
                } else {
                    value.append(rest[index])
                }
                index = rest.index(after: index)
            }
            labels[key] = value
            rest = index < rest.endIndex ? rest[rest.index(after: index)...] : ""
        }
        return labels
    }
}
