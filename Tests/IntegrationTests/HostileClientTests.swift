import Foundation
import Testing

/// Clients of `/metrics` that misbehave: the exporter must close what holds a slot for nothing,
/// reject what is not HTTP, bound concurrent responses, and keep polling on schedule throughout.
@Suite struct HostileClientTests {
    private func polls(_ exporter: Exporter) async throws -> Double {
        try await exporter.scrape().value("databrain_polls_total", ["target": "sim"]) ?? 0
    }

    /// The deadline rules are tested in-process (ExporterEndpointTests, RequestHeadDeadlineTests);
    /// this is the one real-socket check that they close real connections, idle and trickling.
    @Test func idleAndTricklingConnectionsAreClosedAfterTheTimeoutWhileScrapesAreServed() async throws {
        let simulator = try await Simulator()
        let exporter = try await Exporter(simulator: simulator, extra: ["--web.read-header-timeout", "1s", "--web.idle-timeout", "1s"])
        let pollsBefore = try await polls(exporter)
        var idle: [RawConnection] = []
        for index in 0..<50 {
            let connection = try RawConnection(port: exporter.port)
            // Half of them trickle the start of a request, the slowloris way.
            if index % 2 == 0 { connection.send("GET /metrics HTTP/1.1\r\nHost: x\r\n") }
            idle.append(connection)
        }
        let metrics = try await exporter.scrape()
        #expect(metrics.value("databrain_up", ["target": "sim"]) == 1, "a scrape is served while connections sit idle")
        try await eventually("the server to close every idle connection", timeout: .seconds(30)) {
            idle.allSatisfy(\.isClosedByServer) ? true : nil
        }
        #expect(try await polls(exporter) > pollsBefore, "polling went on")
        try await exporter.stopAndCheckSecrets()
    }

    /// Each kind of bad input is covered in-process (ExporterEndpointTests); over a real socket,
    /// text that is not HTTP and a TLS handshake on the plain port.
    @Test(arguments: ["HELLO\r\n\r\n", "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\u{03}\u{03}"])
    func malformedRequestsAndNonHTTPBytesGetAnErrorAndAClose(payload: String) async throws {
        let simulator = try await Simulator()
        let exporter = try await Exporter(simulator: simulator)
        let connection = try RawConnection(port: exporter.port)
        connection.send(payload)
        let reply = connection.read(timeout: .seconds(15))
        #expect(reply.closed, "the connection is closed")
        #expect(reply.text.isEmpty || reply.text.hasPrefix("HTTP/1.") && !reply.text.hasPrefix("HTTP/1.1 200"), "\(reply.text.prefix(80))")
        try await exporter.waitFor("polling and scrapes to go on") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        try await exporter.stopAndCheckSecrets()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let simulator = try await Simulator()
        let exporter = try await Exporter(simulator: simulator)
        try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        let connection = try RawConnection(port: exporter.port)
        connection.send("GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /-/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let reply = connection.read()
        let statusLines = reply.text.matches(of: /HTTP\/1\.1 \d{3}/).map { String(reply.text[$0.range]) }
        #expect(statusLines == ["HTTP/1.1 200", "HTTP/1.1 404", "HTTP/1.1 200", "HTTP/1.1 200"])
        #expect(reply.text.contains("databrain_up{target=\"sim\"} 1"))
        try await exporter.stopAndCheckSecrets()
    }

    /// Responses that cannot be delivered (clients that do not read) hold slots; past the limit the
    /// exporter answers 503 with Retry-After instead of piling up buffers.
    @Test func scrapesOverTheLimitGet503WithRetryAfterAndAreCounted() async throws {
        try await HeavyTests.exclusively {
            let simulator = try await Simulator(datasources: 100_000)  // a 7 MB exposition
            let exporter = try await Exporter(simulator: simulator, extra: ["--web.max-requests", "2", "--poll.interval", "5s", "--poll.timeout", "4s"])
            try await exporter.waitFor("100,000 datasources", timeout: .seconds(60)) { $0.value("databrain_datasources", ["target": "sim"]) == 100_000 }
            // One after the other, each seen to start its 200 before the next: no other scrape runs now,
            // so both take a slot (the headers are read, the 7 MB body is not).
            var stalled: [RawConnection] = []
            for _ in 0..<2 {
                let connection = try RawConnection(port: exporter.port, receiveBuffer: 4096)
                connection.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
                let start = connection.read { $0.contains("\r\n\r\n") }
                #expect(start.text.hasPrefix("HTTP/1.1 200"), "\(start.text.prefix(40))")
                stalled.append(connection)
            }
            let rejected = try await eventually("a scrape to be turned away") {
                let reply = try await HTTP.get(exporter.baseURL + "/metrics")
                return reply.status == 503 ? reply : nil
            }
            #expect(rejected.headers["retry-after"] == "1")
            for connection in stalled { connection.reset() }
            let metrics = try await exporter.waitFor("the limit to free up and the 503 to be counted") {
                $0.value("databrain_exporter_metric_handler_requests_total", ["code": "503"]) ?? 0 >= 1
                    && $0.value("databrain_exporter_metric_handler_requests_in_flight") ?? 9 <= 1
            }
            #expect(metrics.value("databrain_datasources", ["target": "sim"]) == 100_000)
            try await exporter.stopAndCheckSecrets()
        }
    }

    @Test func clientsVanishingMidResponseLeaveNothingBehind() async throws {
        try await HeavyTests.exclusively {
            let simulator = try await Simulator(datasources: 100_000)
            let exporter = try await Exporter(simulator: simulator, extra: ["--poll.interval", "5s", "--poll.timeout", "4s"])
            try await exporter.waitFor("100,000 datasources", timeout: .seconds(60)) { $0.value("databrain_datasources", ["target": "sim"]) == 100_000 }
            for _ in 0..<20 {
                let connection = try RawConnection(port: exporter.port, receiveBuffer: 4096)
                connection.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = connection.read(timeout: .seconds(5)) { $0.utf8.count > 1000 }
                connection.reset()
            }
            try await exporter.waitFor("every response slot to be released") {
                $0.value("databrain_exporter_metric_handler_requests_in_flight") ?? 9 <= 1 && $0.value("databrain_datasources", ["target": "sim"]) == 100_000
            }
            // Sockets of reset clients close asynchronously: on a loaded machine give them time; a
            // leak never settles, so this still fails when descriptors are kept.
            let settled = try? await exporter.waitFor("open fds to settle under 50 (about 35 when idle)", timeout: .seconds(60)) {
                ($0.value("process_open_fds") ?? 99) < 50
            }
            if settled == nil {
                let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(exporter.process.pid)/fd")) ?? []
                let targets = fds.map { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(exporter.process.pid)/fd/\($0)")) ?? "?" }
                Issue.record("""
                    open fds did not settle under 50: \(Dictionary(grouping: targets) { $0.replacing(/[0-9]+/, with: "N") }.mapValues(\.count)); \
                    its sockets still in the TCP table (state local -> remote; a reset one leaves it, fd still open): \
                    \(Self.tcpSockets(pid: exporter.process.pid, inodes: targets))
                    """)
            }
            try await exporter.stopAndCheckSecrets()
        }
    }

    /// Each of the process's TCP sockets as `state local -> remote` (from /proc/PID/net/tcp), so a
    /// failure says whether what is left are the harness's scrapes, the API's connections, or
    /// sockets no longer in the table at all (reset clients whose descriptors were not closed).
    static func tcpSockets(pid: Int32, inodes targets: [String]) -> [String: Int] {
        let inodes = Set(targets.compactMap { $0.firstMatch(of: /socket:\[(\d+)\]/).map { String($0.1) } })
        let states = ["01": "ESTABLISHED", "06": "TIME_WAIT", "07": "CLOSE", "08": "CLOSE_WAIT", "0A": "LISTEN", "04": "FIN_WAIT1", "05": "FIN_WAIT2"]
        var found: [String: Int] = [:]
        var listed = 0
        for file in ["tcp", "tcp6"] {
            let table = (try? String(contentsOfFile: "/proc/\(pid)/net/\(file)", encoding: .utf8)) ?? ""
            for line in table.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9, inodes.contains(String(fields[9])) else { continue }
                let port = { (address: Substring) in Int(address.split(separator: ":").last ?? "", radix: 16).map(String.init) ?? "?" }
                found["\(states[String(fields[3])] ?? String(fields[3])) :\(port(fields[1])) -> :\(port(fields[2]))", default: 0] += 1
                listed += 1
            }
        }
        found["not in the TCP table"] = inodes.count - listed
        return found
    }
}
