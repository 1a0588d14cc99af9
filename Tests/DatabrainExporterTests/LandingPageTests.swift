import FoundationEssentials
import Testing
@testable import DatabrainExporter

@Suite struct LandingPageTests {
    @Test func showsResultAgeAndTimeAndEscapesUpstreamText() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var failed = TargetStatus(name: "prod", url: "https://db.example.com")
        failed.polled = true
        failed.lastPoll = now.addingTimeInterval(-12)
        failed.lastError = "HTTP 500 <script>alert(1)</script>"
        let html = LandingPage.render(telemetryPath: "/metrics", targets: [failed], now: now)
        #expect(html.contains("12s ago"))
        #expect(html.contains("2027-01-15T07:59:48Z"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(!html.contains("<script>"))
    }
}

@Suite struct LandingPageHealthTests {
    private func probe(_ endpoint: HealthEndpoint, _ result: Result<HealthAnswer, HealthProbeFailure>) -> HealthProber.Probe {
        HealthProber.Probe(endpoint: endpoint, duration: .milliseconds(2), result: result)
    }

    @Test func showsLiveReadyAndTheFailingChecksEscaped() {
        var status = TargetStatus(name: "prod", url: "https://db.example.com")
        status.health = HealthSummary([
            probe(.live, .success(HealthAnswer(healthy: true, checks: [:]))),
            probe(.ready, .success(HealthAnswer(healthy: false, checks: ["hasura": .down, "<k>": .unknown, "fine": .up]))),
        ])
        let html = LandingPage.render(telemetryPath: "/metrics", targets: [status])
        #expect(html.contains(#"<span class="good">live</span>, <span class="bad">not ready</span>: &lt;k&gt;: UNKNOWN, hasura: DOWN"#))
        #expect(!html.contains("fine"))
    }

    @Test func saysWhyAProbeFailed() {
        let summary = HealthSummary([
            probe(.live, .failure(HealthProbeFailure(reason: .decode, detail: "HTTP 404 from /health/live"))),
            probe(.ready, .failure(HealthProbeFailure(reason: .timeout, detail: "timed out"))),
        ])
        #expect(!summary.live && !summary.ready)
        #expect(summary.problem == "/health/live: decode (HTTP 404 from /health/live)")
    }
}
