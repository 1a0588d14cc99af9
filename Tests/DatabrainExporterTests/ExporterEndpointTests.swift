import CompressNIO
import FoundationEssentials
import NIOCore
import Locking
import Testing
@testable import DatabrainExporter

/// The endpoint's behaviour, connection by connection, through the server's own pipeline and
/// NIO's HTTP codec but without a socket: routing, gzip, HEAD, the scrape limit, basic auth,
/// configured headers, pipelining, bad requests, and the request-head deadlines on a clock the
/// test moves. One real-socket test per behaviour stays in IntegrationTests.
@Suite struct ExporterEndpointTests {
    @Test func routesAnswerAsTheREADMESays() async throws {
        let endpoint = try InProcessEndpoint()
        let client = try await endpoint.connect()
        let metrics = try await client.request("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type") == ExporterMetrics.contentType)
        #expect(metrics.text.contains("# TYPE databrain_exporter_build_info gauge"))
        #expect(try await client.request("GET", "/").header("Content-Type") == "text/html; charset=utf-8")
        #expect(try await client.request("GET", "/-/healthy").text == "Healthy\n")
        let missing = try await client.request("GET", "/nope")
        #expect(missing.status == 404 && missing.text.contains("try /metrics"))
        let post = try await client.request("POST", "/metrics")
        #expect(post.status == 405 && post.header("Allow") == "GET, HEAD")
        let getReload = try await client.request("GET", "/-/reload")
        #expect(getReload.status == 405 && getReload.header("Allow") == "POST, PUT")
        #expect(try await client.request("POST", "/-/reload").text == "configuration reloaded\n")
    }

    @Test func readinessWaitsForEveryTargetsFirstPoll() async throws {
        let endpoint = try InProcessEndpoint()
        let target = TargetConfig(name: "prod", url: "https://db.example", token: .value("t"))
        endpoint.board.setTargets([target])
        let client = try await endpoint.connect()
        let waiting = try await client.request("GET", "/-/ready")
        #expect(waiting.status == 503 && waiting.text.contains("prod"))
        endpoint.board.claim(target: "prod", writer: 1)  // as the target's slot claims it for its poller
        endpoint.board.recordFailure(target: "prod", message: "HTTP 401", at: Date(), writer: 1)
        #expect(try await client.request("GET", "/-/ready").status == 200, "a failed first poll is still a finished one")
    }

    @Test func aRoutePrefixMovesEveryRoute() async throws {
        let prefix = try RoutePrefix.parse(routePrefix: "/databrain", externalURL: nil)
        let endpoint = try InProcessEndpoint(settings: WebSettings(routePrefix: prefix))
        let client = try await endpoint.connect()
        #expect(try await client.request("GET", "/databrain/metrics").status == 200)
        #expect(try await client.request("GET", "/databrain").status == 200)
        #expect(try await client.request("GET", "/metrics").status == 404)
        #expect(try await client.request("GET", "/databrainx/metrics").status == 404)
    }

    @Test func gzipIsSentWhenAcceptedAndDecodesToThePlainExposition() async throws {
        let endpoint = try InProcessEndpoint()
        endpoint.metrics.makeTarget("prod").claim().pollSucceeded(names: ["a", "b"], duration: .zero, at: Date())
        let client = try await endpoint.connect()
        let zipped = try await client.request("GET", "/metrics", headers: ["Accept-Encoding: gzip"])
        #expect(zipped.header("Content-Encoding") == "gzip" && zipped.header("Vary") == "Accept, Accept-Encoding")
        var buffer = ByteBuffer(bytes: zipped.body)
        let unzipped = String(buffer: try buffer.decompress(with: .gzip()))
        #expect(unzipped.contains(#"databrain_datasource_info{target="prod",datasource="b"} 1"#))
        let refused = try await client.request("GET", "/metrics", headers: ["Accept-Encoding: gzip;q=0"])
        #expect(refused.header("Content-Encoding") == nil && refused.text.contains(#"datasource="b""#))
    }

    @Test func headAnswersTheHeadersWithoutTheBody() async throws {
        let endpoint = try InProcessEndpoint()
        let client = try await endpoint.connect()
        let head = try await client.request("HEAD", "/metrics")
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(Int(head.header("Content-Length") ?? "") ?? 0 > 100)
        #expect(try await client.request("GET", "/-/healthy").text == "Healthy\n", "the connection is still in step")
    }

    @Test func scrapesOverTheLimitGet503WithRetryAfterAndAreCounted() async throws {
        let metrics = ExporterMetrics(maxScrapesInFlight: 1)
        let endpoint = try InProcessEndpoint(settings: WebSettings(maxRequests: 1), metrics: metrics)
        let client = try await endpoint.connect()
        let held = try #require(metrics.scrapes.acquire())  // a slow reader elsewhere holds the only slot
        let refused = try await client.request("GET", "/metrics")
        #expect(refused.status == 503 && refused.header("Retry-After") == "1")
        #expect(try await client.request("GET", "/-/healthy").status == 200, "only the metrics are limited")
        held.release(written: true)
        #expect(try await client.request("GET", "/metrics").status == 200)
    }

    @Test func basicAuthGuardsEveryRouteAndConfiguredHeadersAreSent() async throws {
        let config = """
            basic_auth_users:
              prometheus: \(BasicAuthenticatorTests.hash)
            http_server_config:
              headers:
                X-Frame-Options: deny
            """
        let endpoint = try InProcessEndpoint(webConfig: config)
        let client = try await endpoint.connect()
        let anonymous = try await client.request("GET", "/metrics")
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate") == #"Basic realm="databrain_exporter", charset="UTF-8""#)
        #expect(anonymous.header("X-Frame-Options") == "deny", "configured headers go on refusals too")
        let wrong = Data("prometheus:wrong".utf8).base64EncodedString()
        #expect(try await client.request("GET", "/-/healthy", headers: ["Authorization: Basic \(wrong)"]).status == 401)
        let right = Data("prometheus:s3cret-pa55".utf8).base64EncodedString()
        let allowed = try await client.request("GET", "/metrics", headers: ["Authorization: Basic \(right)"])
        #expect(allowed.status == 200 && allowed.header("X-Frame-Options") == "deny")
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let endpoint = try InProcessEndpoint()
        let client = try await endpoint.connect()
        try await client.send("GET /-/healthy HTTP/1.1\r\nHost: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\n\r\nGET /-/ready HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await client.response().status == 200)
        #expect(try await client.response().status == 404)
        #expect(try await client.response().text == "Ready\n")
    }

    @Test(arguments: [
        "HELLO\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\u{03}\u{03}", "\u{00}\u{ff}\u{fe}garbage\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 1 << 20) + "\r\n\r\n",
    ])
    func badRequestsGet400AndTheConnectionCloses(payload: String) async throws {
        let endpoint = try InProcessEndpoint()
        let client = try await endpoint.connect()
        try await client.send(payload)
        let response = try await client.response()
        #expect(response.status == 400, "\(payload.prefix(20))")
        await client.channel.testingEventLoop.run()
        #expect(!client.isOpen)
    }

    @Test func connectionCloseIsHonoured() async throws {
        let endpoint = try InProcessEndpoint()
        let client = try await endpoint.connect()
        let response = try await client.request("GET", "/-/healthy", headers: ["Connection: close"])
        #expect(response.header("Connection") == "close")
        await client.channel.testingEventLoop.run()
        #expect(!client.isOpen)
    }

    // MARK: - Deadlines, on the loop's clock

    private static let timeouts = WebSettings(readHeaderTimeout: .seconds(10), idleTimeout: .seconds(300))

    @Test func aSilentConnectionClosesAtTheReadHeaderTimeout() async throws {
        let endpoint = try InProcessEndpoint(settings: Self.timeouts)
        let client = try await endpoint.connect()
        await client.advance(by: .milliseconds(9_999))
        #expect(client.isOpen)
        await client.advance(by: .milliseconds(1))
        #expect(!client.isOpen)
    }

    @Test func aTrickledHeadDoesNotExtendTheDeadline() async throws {
        let endpoint = try InProcessEndpoint(settings: Self.timeouts)
        let client = try await endpoint.connect()
        // One byte a second: still open after 9 s of trickle, closed at 10 s, head unfinished.
        for byte in "GET /metrics HT".prefix(9) {
            try await client.send(String(byte))
            await client.advance(by: .seconds(1))
        }
        #expect(client.isOpen)
        try await client.send("T")
        await client.advance(by: .seconds(1))
        #expect(!client.isOpen)
    }

    @Test func afterAResponseTheIdleTimeoutApplies() async throws {
        let endpoint = try InProcessEndpoint(settings: Self.timeouts)
        let client = try await endpoint.connect()
        await client.advance(by: .seconds(9))
        #expect(try await client.request("GET", "/-/healthy").status == 200)
        await client.advance(by: .seconds(60))
        #expect(client.isOpen, "past the read-header timeout, within the idle one")
        await client.advance(by: .seconds(240))
        #expect(!client.isOpen)
    }

    @Test func noDeadlineWhileARequestIsAnswered() async throws {
        let replies = PendingReplies()
        let endpoint = try InProcessEndpoint(settings: Self.timeouts, reload: { replies.add($0) })
        let client = try await endpoint.connect()
        try await client.send("POST /-/reload HTTP/1.1\r\nHost: t\r\n\r\n")
        await client.channel.testingEventLoop.run()
        await client.advance(by: .seconds(600))
        #expect(client.isOpen, "a reload that takes long is not a slow client")
        replies.answerAll()
        #expect(try await client.response().status == 200)
        await client.advance(by: .seconds(300))
        #expect(!client.isOpen)
    }
}

/// Reload replies held until the test answers them.
final class PendingReplies: Sendable {
    private let pending = Locked<[ConfigReloader.Reply]>([])
    func add(_ reply: @escaping ConfigReloader.Reply) { pending.withLock { $0.append(reply) } }
    func answerAll() { for reply in pending.withLock({ $0 }) { reply(.success(())) } }
}
