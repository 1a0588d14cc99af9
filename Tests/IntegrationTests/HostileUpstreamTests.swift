import Foundation
import Testing

/// An upstream that misbehaves in every way listed in the hardening issue: each fault is injected
/// for real (the simulator, a closed port, an unresolvable name, a self-signed certificate), and
/// each test checks what a user sees: the right reason or code counted, the last list kept, the
/// process alive and polling again, and the token written nowhere.
@Suite struct HostileUpstreamTests {
    /// An exporter that has fetched the simulator's first list (3 datasources) before a fault.
    private func healthyExporter(_ simulator: Simulator, extra: [String] = []) async throws -> Exporter {
        let exporter = try await Exporter(simulator: simulator, extra: extra)
        try await exporter.waitFor("the first good poll") { $0.value("databrain_datasources", ["target": "sim"]) == 3 }
        return exporter
    }

    /// Waits for `reason` to be counted, checks the list was kept, then for polling to recover.
    private func expectFailureThenRecovery(_ exporter: Exporter, reason: String) async throws {
        let failed = try await exporter.waitFor("a \(reason) failure") {
            $0.value("databrain_api_request_failures_total", ["target": "sim", "endpoint": "datasource", "reason": reason]) ?? 0 >= 1
        }
        #expect(failed.value("databrain_datasources", ["target": "sim"]) == 3, "the last good list is kept")
        try await exporter.waitFor("polling to recover") {
            $0.value("databrain_up", ["target": "sim"]) == 1
                && $0.value("databrain_polls_total", ["target": "sim"])! > failed.value("databrain_polls_total", ["target": "sim"])!
        }
    }

    @Test func anUnresolvableHostCountsAsDNS() async throws {
        let exporter = try await Exporter(unreachable: "http://databrain-exporter-test.invalid", target: "sim")
        let metrics = try await exporter.waitFor("a dns failure") {
            $0.value("databrain_api_request_failures_total", ["target": "sim", "endpoint": "datasource", "reason": "dns"]) ?? 0 >= 1
        }
        #expect(metrics.value("databrain_up", ["target": "sim"]) == 0)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aByteAtATimeTrickleIsCutOffByTheTimeout() async throws {
        let simulator = try await Simulator()
        let exporter = try await healthyExporter(simulator)
        try await simulator.fault("kind=trickle&ms=100&count=1")  // ~80 bytes, 8 s > the 250 ms timeout
        try await expectFailureThenRecovery(exporter, reason: "timeout")
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aConnectionResetMidBodyIsNetwork() async throws {
        let simulator = try await Simulator()
        let exporter = try await healthyExporter(simulator)
        try await simulator.fault("kind=reset&count=1")
        try await expectFailureThenRecovery(exporter, reason: "network")
        try await exporter.stopAndCheckSecrets()
    }

    /// Classification of every status, with and without a body, is covered in-process
    /// (DatasourceFetcherTests); here two cases go through libcurl and the poller's backoff.
    @Test(arguments: [(400, true), (503, false)])
    func anErrorStatusIsCountedByCodeWithOrWithoutABody(status: Int, withBody: Bool) async throws {
        let simulator = try await Simulator()
        let exporter = try await healthyExporter(simulator)
        try await simulator.fault("kind=\(withBody ? "status" : "status_nobody")&status=\(status)&count=1")
        let failed = try await exporter.waitFor("HTTP \(status) to be counted", timeout: .seconds(30)) {
            $0.value("databrain_api_requests_total", ["target": "sim", "endpoint": "datasource", "code": String(status)]) == 1
        }
        #expect(failed.value("databrain_datasources", ["target": "sim"]) == 3)
        #expect(failed.value("databrain_poll_failures_total", ["target": "sim"]) == 1)
        // A response is not a transport failure: no reason is counted for it.
        for reason in ["timeout", "connect", "dns", "tls", "too_large", "decode", "redirect", "network"] {
            #expect(failed.value("databrain_api_request_failures_total", ["target": "sim", "endpoint": "datasource", "reason": reason]) == 0)
        }
        // 429 and 5xx back off for two intervals first; every case polls again and recovers.
        try await exporter.waitFor("polling to recover", timeout: .seconds(30)) {
            $0.value("databrain_up", ["target": "sim"]) == 1 && $0.value("databrain_poll_failures_total", ["target": "sim"]) == 1
        }
        try await exporter.stopAndCheckSecrets()
    }

    /// 200 answers whose body is not `{"data":[{"name":…}]}`: rejected whole as `decode`. Every
    /// shape is covered in-process (DatasourceFetcherTests); here two go through the real path.
    @Test(arguments: [
        ("html", "kind=html", nil),
        ("no item with a name", "kind=raw", #"{"data":[{"title":"x"},{"title":"y"}]}"#),
    ] as [(String, String, String?)])
    func aBodyOfTheWrongShapeIsDecodeAndKeepsTheList(what: String, fault: String, body: String?) async throws {
        let simulator = try await Simulator()
        let exporter = try await healthyExporter(simulator)
        try await simulator.fault(fault + "&count=1", body: body)
        try await expectFailureThenRecovery(exporter, reason: "decode")
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aMultiGigabyteBodyStopsAtTheCapAndMemoryStaysBounded() async throws {
        try await HeavyTests.exclusively {
            let simulator = try await Simulator()
            let exporter = try await healthyExporter(simulator, extra: ["--databrain.max-body-bytes", "1048576"])
            try await simulator.fault("kind=huge&bytes=4294967296&count=1")  // announces and streams 4 GiB
            try await expectFailureThenRecovery(exporter, reason: "too_large")
            let peakKiB = try #require(ManagedProcess.statusField("VmHWM", of: exporter.process))
            #expect(peakKiB < 200 * 1024, "peak RSS \(peakKiB) KiB after a 4 GiB body")
            try await exporter.stopAndCheckSecrets()
        }
    }

    @Test func aHundredThousandDatasourcesArriveInOnePoll() async throws {
        try await HeavyTests.exclusively {
            let simulator = try await Simulator(datasources: 100_000)
            let exporter = try await Exporter(simulator: simulator, extra: ["--poll.interval", "5s", "--poll.timeout", "4s"])
            let metrics = try await exporter.waitFor("100,000 datasources", timeout: .seconds(60)) {
                $0.value("databrain_datasources", ["target": "sim"]) == 100_000
            }
            #expect(metrics.all("databrain_datasource_info").count == 100_000)
            try await exporter.stopAndCheckSecrets()
        }
    }

    @Test func duplicateNamesAreOneDatasource() async throws {
        let simulator = try await Simulator(names: ["orders", "orders", "billing"])
        let exporter = try await Exporter(simulator: simulator)
        let metrics = try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        #expect(metrics.value("databrain_datasources", ["target": "sim"]) == 2)
        #expect(metrics.all("databrain_datasource_info").count == 2)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aSelfSignedUpstreamFailsAsTLSUntilItsCAIsGiven() async throws {
        let certificate = try TestCertificate.selfSigned()
        let simulator = try await Simulator(tls: certificate)
        let refused = try await Exporter(simulator: simulator)
        try await refused.waitFor("a tls failure") {
            $0.value("databrain_api_request_failures_total", ["target": "sim", "endpoint": "datasource", "reason": "tls"]) ?? 0 >= 1
        }
        try await refused.stopAndCheckSecrets()

        let trusting = try await Exporter(simulator: simulator, extra: ["--databrain.ca-file", certificate.certificate])
        let metrics = try await trusting.waitFor("a good poll over TLS") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        #expect(metrics.value("databrain_datasources", ["target": "sim"]) == 3)
        try await trusting.stopAndCheckSecrets()
    }

    /// After a 429 with Retry-After (seconds, or an HTTP date), no request is made before it is due.
    @Test(arguments: ["120", "date"])
    func retryAfterIsHonoured(form: String) async throws {
        let simulator = try await Simulator()
        let exporter = try await healthyExporter(simulator)
        let value = form == "date" ? Self.httpDate(Date().addingTimeInterval(120)) : form
        try await simulator.fault("kind=rate_limit&count=1&retry_after=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        try await exporter.waitFor("the 429") { $0.value("databrain_api_requests_total", ["target": "sim", "endpoint": "datasource", "code": "429"]) == 1 }
        let requestsAfter429 = try await simulator.stats().received
        // Proving an absence takes waiting: at a 300 ms interval, eight polls would have happened.
        try await Task.sleep(for: .milliseconds(2500))
        #expect(try await simulator.stats().received == requestsAfter429, "a request was made before Retry-After")
        #expect(try await exporter.scrape().value("databrain_up", ["target": "sim"]) == 0)
        try await exporter.stopAndCheckSecrets()
    }

    private static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
