import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOPosix
@testable import DatabrainExporter

/// What a scraper sends: the request head, `Authorization`, `Accept-Encoding`, the path, and the
/// whole HTTP pipeline fed raw bytes with its deadlines and limits in place.
enum ServerTargets {
    static let all: [FuzzTarget] = [
        FuzzTarget(name: "authorization", source: .server, summary: "the Authorization header's basic credentials") { input in
            _ = BasicAuthCredentials(header: input.text)
        },
        FuzzTarget(name: "accept-encoding", source: .server, summary: "Accept-Encoding negotiation over any number of header lines") { input in
            _ = AcceptEncoding.allowsGzip(input.text.split(separator: "\n").map(String.init))
        },
        FuzzTarget(name: "route-prefix", source: .server, summary: "--web.route-prefix and --web.external-url: routes start with / and never end with one") { input in
            let (prefix, external) = input.halves
            guard let parsed = try? RoutePrefix.parse(routePrefix: prefix.text, externalURL: external.isEmpty ? nil : "http://h" + external.text) else { return }
            // As bytes: "/" then a combining mark is one Swift Character, and still a slash.
            let bytes = Array(parsed.routes.utf8)
            precondition(bytes.isEmpty || (bytes.first == UInt8(ascii: "/") && bytes.last != UInt8(ascii: "/")), "route prefix \(parsed.routes.debugDescription)")
            precondition(!bytes.indices.dropLast().contains { bytes[$0] == UInt8(ascii: "/") && bytes[$0 + 1] == UInt8(ascii: "/") }, "no empty segment")
        },
        FuzzTarget(name: "http-pipeline", source: .server, summary: "raw bytes into the server's own pipeline; every answer is HTTP/1.1 or the connection closes") { input in
            HTTPPipelineFuzz.run(input)
        },
    ]
}

/// The server's ``ExporterPipeline`` on an embedded channel: request bytes in, in chunks the input
/// chooses, then the clock moved past every deadline. Whatever it wrote must start as an HTTP/1.1
/// response.
enum HTTPPipelineFuzz {
    /// Never started: without a web config no password is checked (a started pool's queue
    /// would also show as LeakSanitizer's one report at exit).
    private static let pool = NIOThreadPool(numberOfThreads: 1)

    private static let pipeline: ExporterPipeline = {
        let metrics = ExporterMetrics()
        _ = metrics.makeTarget("fuzz")
        let routes = ExporterRoutes(telemetryPath: "/metrics", prefix: .root, metrics: metrics, board: TargetStatusBoard(), reload: { $0(.success(())) })
        return ExporterPipeline(routes: routes, web: nil, authenticator: BasicAuthenticator(threadPool: pool),
                                readHeaderTimeout: .seconds(10), idleTimeout: .seconds(60))
    }()

    static func run(_ input: [UInt8]) {
        let channel = EmbeddedChannel()
        do {
            try pipeline.configure(channel)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        } catch {
            preconditionFailure("the pipeline did not set up: \(error)")
        }
        // A byte of 0xFF splits the input into separate reads, as a slow client sends them.
        for chunk in input.split(separator: 0xFF, omittingEmptySubsequences: false) where channel.isActive {
            _ = try? channel.writeInbound(ByteBuffer(bytes: chunk))
            channel.embeddedEventLoop.run()
        }
        channel.embeddedEventLoop.advanceTime(by: .seconds(120))
        var written: [UInt8] = []
        while let part = try? channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = part { written += buffer.readableBytesView }
        }
        if !written.isEmpty {
            precondition(written.starts(with: Array("HTTP/1.".utf8)), "an answer that is not HTTP: \(String(decoding: written.prefix(40), as: UTF8.self))")
        }
        _ = try? channel.finish()
    }
}
