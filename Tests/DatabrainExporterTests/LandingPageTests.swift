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
