import FoundationEssentials
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOPosix
@testable import DatabrainExporter

/// The exporter's HTTP endpoint without a socket: each connection is a testing channel built by
/// the server's own ``ExporterPipeline`` (NIO's HTTP codec included), fed raw request bytes, on
/// an event loop whose clock moves only when a test says so.
final class InProcessEndpoint: Sendable {
    let metrics: ExporterMetrics
    let board: TargetStatusBoard
    let pipeline: ExporterPipeline
    private let pool: NIOThreadPool

    init(
        settings: WebSettings = WebSettings(), telemetryPath: String = "/metrics", webConfig: String? = nil,
        metrics: ExporterMetrics = ExporterMetrics(), reload: @escaping @Sendable (@escaping ConfigReloader.Reply) -> Void = { $0(.success(())) }
    ) throws {
        self.metrics = metrics
        board = TargetStatusBoard()
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        var web: WebConfigStore?
        if let webConfig {
            let path = try TemporaryFile.write(webConfig, name: "web.yml")
            web = try WebConfigStore(path: path, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        }
        let routes = ExporterRoutes(telemetryPath: telemetryPath, prefix: settings.routePrefix, metrics: metrics, board: board, reload: reload)
        pipeline = ExporterPipeline(routes: routes, web: web, authenticator: BasicAuthenticator(threadPool: pool),
                                    readHeaderTimeout: settings.readHeaderTimeout, idleTimeout: settings.idleTimeout)
    }

    deinit { pool.shutdownGracefully { _ in } }

    /// A new accepted connection.
    func connect() async throws -> Connection {
        let channel = try await NIOAsyncTestingChannel { [pipeline] channel in try pipeline.configure(channel) }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9))
        return Connection(channel: channel)
    }

    /// One client connection: raw bytes in, raw bytes out.
    final class Connection {
        let channel: NIOAsyncTestingChannel
        /// Bytes received but not yet taken as a response (pipelined answers arrive together).
        private var received = ByteBuffer()

        init(channel: NIOAsyncTestingChannel) {
            self.channel = channel
        }

        /// Sends bytes as the client would (a whole request, part of one, or several).
        func send(_ text: String) async throws {
            try await channel.writeInbound(ByteBuffer(string: text))
        }

        /// Sends one request and returns its response.
        func request(_ method: String = "GET", _ target: String, headers: [String] = []) async throws -> Response {
            try await send("\(method) \(target) HTTP/1.1\r\nHost: test\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n")
            return try await response(withBody: method != "HEAD")
        }

        /// Moves the event loop's clock (timers due in between fire).
        func advance(by amount: TimeAmount) async {
            await channel.testingEventLoop.advanceTime(by: amount)
        }

        var isOpen: Bool { channel.isActive }

        /// Reads the next complete response, running the loop while it waits (answers that come
        /// from another thread, as bcrypt checks and reloads do, arrive as loop tasks).
        func response(withBody: Bool = true) async throws -> Response {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                await channel.testingEventLoop.run()
                // The codec writes ByteBuffers, or IOData once NIO's pipelining handler buffered a request.
                while let part = try await channel.readOutbound(as: IOData.self) {
                    if case .byteBuffer(let buffer) = part { received.writeImmutableBuffer(buffer) }
                }
                if let response = Response(parsing: &received, withBody: withBody) { return response }
                try await Task.sleep(for: .milliseconds(1))
            }
            throw ResponseMissing(received: String(buffer: received))
        }
    }

    struct ResponseMissing: Error, CustomStringConvertible {
        let received: String
        var description: String { "no complete response within 30 s; received: \(received.prefix(300))" }
    }

    /// A response as the client received it.
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        /// Takes one response (head and Content-Length body) off the front of `bytes`, if complete.
        init?(parsing bytes: inout ByteBuffer, withBody: Bool = true) {
            let view = Array(bytes.readableBytesView)
            guard let end = view.indices.dropLast(3).first(where: { view[$0...($0 + 3)].elementsEqual("\r\n\r\n".utf8) }) else { return nil }
            let lines = String(decoding: view[..<end], as: UTF8.self).components(separatedBy: "\r\n")
            let statusParts = lines[0].split(separator: " ")
            guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
            let headers = lines.dropFirst().compactMap { line -> (String, String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingWhitespace())
            }
            let length = withBody ? headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0 : 0
            guard view.count >= end + 4 + length else { return nil }
            self.status = status
            self.headers = headers
            self.body = Array(view[(end + 4)..<(end + 4 + length)])
            bytes.moveReaderIndex(forwardBy: end + 4 + length)
        }
    }
}
