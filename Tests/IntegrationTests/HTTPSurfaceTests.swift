import Foundation
import Testing

/// What a scraper, a kubelet probe and a person with a browser see.
@Suite struct HTTPSurfaceTests {
    /// Routing, gzip, HEAD and 405s are tested in-process (ExporterEndpointTests); this checks
    /// them once over a real socket, with curl doing the gzip negotiation.
    @Test func theEndpointAnswersOverARealSocket() async throws {
        let simulator = try await Simulator()
        let exporter = try await Exporter(simulator: simulator)
        let reply = try await HTTP.get(exporter.baseURL + "/metrics")
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        let curl = try ManagedProcess(name: "curl", executable: "/usr/bin/curl", arguments: [
            "-s", "-D", "-", "-o", "/dev/null", "-H", "Accept-Encoding: gzip", exporter.baseURL + "/metrics",
        ])
        #expect(try await curl.waitForExit() == 0)
        #expect(curl.stdout.lowercased().contains("content-encoding: gzip"))
        #expect(try await HTTP.get(exporter.baseURL + "/nope").status == 404)
        let post = try await HTTP.request("POST", exporter.baseURL + "/metrics", body: "x")
        #expect(post.status == 405 && post.headers["allow"] == "GET, HEAD")
        #expect(try await HTTP.request("HEAD", exporter.baseURL + "/metrics").status == 200)
        try await exporter.stopAndCheckSecrets()
    }

    /// node_exporter's `--web.disable-exporter-metrics`: the exporter's own process and handler
    /// series go; everything about Databrain, and build info, stays.
    @Test func exporterMetricsCanBeLeftOut() async throws {
        let simulator = try await Simulator(datasources: 2)
        let exporter = try await Exporter(simulator: simulator, extra: ["--web.disable-exporter-metrics"])
        let scrape = try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        let body = try await HTTP.get(exporter.baseURL + "/metrics", headers: ["Accept-Encoding": "identity"]).body
        #expect(!body.contains("process_") && !body.contains("databrain_exporter_metric_handler"), "exporter metrics left out")
        #expect(body.contains("databrain_exporter_build_info{") && scrape.all("databrain_datasource_info").count == 2)
        let plain = try await Exporter(simulator: simulator)
        try await plain.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        let full = try await HTTP.get(plain.baseURL + "/metrics").body
        #expect(full.contains("process_resident_memory_bytes ") && full.contains("databrain_exporter_metric_handler_requests_total{"), "on by default")
        try await exporter.stopAndCheckSecrets()
        try await plain.stopAndCheckSecrets()
    }

    @Test func readinessWaitsForTheFirstPoll() async throws {
        let simulator = try await Simulator()
        try await simulator.fault("kind=hang")
        let exporter = try await Exporter(simulator: simulator, extra: ["--poll.interval", "20s", "--poll.timeout", "8s"])
        #expect(try await HTTP.get(exporter.baseURL + "/-/ready").status == 503)
        #expect(try await HTTP.get(exporter.baseURL + "/-/healthy").status == 200)
        // The hanging first poll times out and counts as done: ready, but down.
        try await eventually("readiness") { try await HTTP.get(exporter.baseURL + "/-/ready").status == 200 ? true : nil }
        #expect(try await exporter.scrape().value("databrain_up", ["target": "sim"]) == 0)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func theLandingPageShowsEachTargetButNeverTheToken() async throws {
        let simulator = try await Simulator(datasources: 4)
        let exporter = try await Exporter(simulator: simulator)
        try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        let page = try await HTTP.get(exporter.baseURL + "/")
        #expect(page.status == 200)
        #expect(page.body.contains("href=\"/metrics\""))
        #expect(page.body.contains("<td>sim</td>"))
        #expect(page.body.contains("<td>4</td>"))
        #expect(!page.body.contains(simulator.token))
        try await exporter.stopAndCheckSecrets()
    }
}

/// Scrapes never wait for the API or for each other, and polling keeps its schedule under load.
@Suite struct ConcurrentScrapeTests {
    @Test func twoHundredConcurrentScrapesAllSucceedWhilePollingContinues() async throws {
        let simulator = try await Simulator(datasources: 1000)
        let exporter = try await Exporter(simulator: simulator, extra: ["--databrain.paginate", "--poll.interval", "200ms", "--poll.timeout", "150ms"])
        let before = try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<200 { group.addTask { try await HTTP.get(exporter.baseURL + "/metrics").status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 200 && statuses.allSatisfy { $0 == 200 })
        let polls = before.value("databrain_polls_total", ["target": "sim"]) ?? 0
        try await exporter.waitFor("polls to go on") { ($0.value("databrain_polls_total", ["target": "sim"]) ?? 0) >= polls + 3 }
        try await exporter.stopAndCheckSecrets()
    }
}
