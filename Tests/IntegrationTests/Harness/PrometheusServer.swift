import Foundation

/// A real Prometheus server (Debian's `prometheus` package) scraping given targets.
final class PrometheusServer: @unchecked Sendable {
    let process: ManagedProcess
    let baseURL: String

    /// Whether the end-to-end tests can run: Prometheus installed, or CI (where its absence must fail).
    static var shouldRun: Bool {
        BuildProducts.systemTool("prometheus") != nil || ProcessInfo.processInfo.environment["CI"] != nil
    }

    init(scraping target: String, scrapeInterval: String = "1s") async throws {
        guard let binary = BuildProducts.systemTool("prometheus") else {
            throw HarnessError("prometheus is not installed: run scripts/install-deps (the test command does)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = """
            global:
              scrape_interval: \(scrapeInterval)
              evaluation_interval: \(scrapeInterval)
            scrape_configs:
              - job_name: databrain
                static_configs:
                  - targets: ['\(target)']
            """
        let configPath = directory.appendingPathComponent("prometheus.yml").path
        try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
        // Prometheus cannot report a kernel-chosen port, so take a free one and retry if another process wins it.
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try FreePort.pick()
            let process = try ManagedProcess(name: "prometheus", executable: binary, arguments: [
                "--config.file=\(configPath)", "--storage.tsdb.path=\(directory.path)/data",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ])
            do {
                try await eventually("prometheus to become ready", timeout: .seconds(60)) {
                    if !process.isRunning { throw HarnessError("prometheus exited: \(process.stderr)") }
                    return (try? await HTTP.get("http://127.0.0.1:\(port)/-/ready"))?.status == 200 ? true : nil
                }
                self.process = process
                self.baseURL = "http://127.0.0.1:\(port)"
                return
            } catch {
                lastError = error
                process.signal(SIGKILL)
            }
        }
        throw lastError ?? HarnessError("prometheus did not start")
    }

    /// The value of an instant query's first sample, or nil when the result is empty.
    func query(_ promql: String) async throws -> Double? {
        let encoded = promql.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promql
        let reply = try await HTTP.get(baseURL + "/api/v1/query?query=" + encoded)
        struct Response: Decodable {
            struct Payload: Decodable {
                struct Sample: Decodable { let value: [StringOrNumber] }
                let result: [Sample]
            }
            let status: String
            let data: Payload
        }
        let response = try JSONDecoder().decode(Response.self, from: Data(reply.body.utf8))
        guard response.status == "success" else { throw HarnessError("query \(promql) failed: \(reply.body)") }
        guard let sample = response.data.result.first, sample.value.count == 2, case .string(let text) = sample.value[1] else { return nil }
        return Double(text)
    }

    enum StringOrNumber: Decodable {
        case string(String)
        case number(Double)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .string(text) } else { self = .number(try container.decode(Double.self)) }
        }
    }
}

/// Asks the kernel for a free loopback port (for servers that cannot report the one they got).
enum FreePort {
    static func pick() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw HarnessError("bind() failed") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
