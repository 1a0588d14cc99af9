import NIOCore
import NIOHTTP1

/// A finished response, ready to write.
struct SimpleResponse {
    var status: HTTPResponseStatus
    var contentType: String
    /// Sent one after the other; more than one only for the exposition (see `expositionParts`).
    var body: [ByteBuffer]
    var extraHeaders: [(String, String)] = []
    /// Called once the response was written (true) or could not be (false).
    var onWritten: (@Sendable (Bool) -> Void)?
}

/// A route's answer: ready now, or later on the channel's event loop (`POST /-/reload` waits for
/// the reloader, which never runs on an event loop).
enum RouteAnswer {
    case now(SimpleResponse)
    case later(EventLoopFuture<SimpleResponse>)
}

/// The exporter's HTTP surface: which path answers what.
struct ExporterRoutes: Sendable {
    let telemetryPath: String
    /// `--web.route-prefix`: every route lives under `prefix.routes`; links use `prefix.links`.
    let prefix: RoutePrefix
    let metrics: ExporterMetrics
    let board: TargetStatusBoard
    /// Queues a configuration reload (`POST /-/reload`) and is told the outcome; the error says
    /// why it was rejected. ``ConfigReloader/requestReload(reply:)`` in the exporter.
    let reload: @Sendable (@escaping ConfigReloader.Reply) -> Void

    func respond(to head: HTTPRequestHead, allocator: ByteBufferAllocator, eventLoop: any EventLoop) -> RouteAnswer {
        let path = routed(pathOf(head))
        if path == "/-/reload", head.method == .POST || head.method == .PUT {
            let promise = eventLoop.makePromise(of: Result<Void, ConfigError>.self)
            reload { promise.succeed($0) }
            return .later(promise.futureResult.map { result in
                switch result {
                case .success: return text(.ok, "configuration reloaded\n", allocator)
                case .failure(let error): return text(.internalServerError, "failed to reload configuration: \(error.message)\n", allocator)
                }
            })
        }
        return .now(respond(to: head, path: path, allocator: allocator))
    }

    /// Every answer that is ready at once; `path` is below the route prefix, nil outside it.
    private func respond(to head: HTTPRequestHead, path: String?, allocator: ByteBufferAllocator) -> SimpleResponse {
        guard let path else {
            return text(.notFound, "404 page not found: try \(prefix.routes + telemetryPath) or \(prefix.routes)/\n", allocator)
        }
        let known = [telemetryPath, "/", "/-/healthy", "/-/ready", "/-/reload"]
        guard known.contains(path) else {
            return text(.notFound, "404 page not found: try \(prefix.routes + telemetryPath) or \(prefix.routes)/\n", allocator)
        }
        if path == "/-/reload" {
            // POST and PUT were answered by the reloader above.
            var response = text(.methodNotAllowed, "405 method not allowed: use POST to reload\n", allocator)
            response.extraHeaders.append(("Allow", "POST, PUT"))
            return response
        }
        guard head.method == .GET || head.method == .HEAD else {
            var response = text(.methodNotAllowed, "405 method not allowed: use GET or HEAD\n", allocator)
            response.extraHeaders.append(("Allow", "GET, HEAD"))
            return response
        }
        switch path {
        case telemetryPath:
            guard let slot = metrics.scrapes.acquire() else {
                var busy = text(.serviceUnavailable, "too many concurrent scrapes (--web.max-requests \(metrics.scrapes.limit)); retry shortly\n", allocator)
                busy.extraHeaders.append(("Retry-After", "1"))
                return busy
            }
            var response: SimpleResponse
            // OpenMetrics when the scraper prefers it (Prometheus does), as promhttp negotiates.
            let format = ExpositionFormat.negotiate(remembering: head.headers["Accept"])
            // Compressed by the metrics (cached), not by a per-response compressor: see GzipCache.
            if AcceptEncoding.allowsGzip(head.headers["Accept-Encoding"]) {
                response = SimpleResponse(status: .ok, contentType: format.contentType, body: [metrics.gzippedExposition(format)],
                                          extraHeaders: [("Content-Encoding", "gzip"), ("Vary", "Accept, Accept-Encoding")])
            } else {
                response = SimpleResponse(status: .ok, contentType: format.contentType, body: metrics.expositionParts(format),
                                          extraHeaders: [("Vary", "Accept, Accept-Encoding")])
            }
            response.onWritten = { slot.release(written: $0) }
            return response
        case "/-/healthy":
            return text(.ok, "Healthy\n", allocator)
        case "/-/ready":
            let waiting = board.snapshot().filter { !$0.polled }.map(\.name)
            return waiting.isEmpty
                ? text(.ok, "Ready\n", allocator)
                : text(.serviceUnavailable, "Not ready: waiting for the first poll of \(waiting.joined(separator: ", "))\n", allocator)
        default:
            let html = LandingPage.render(telemetryPath: telemetryPath, linkPrefix: prefix.links, targets: board.snapshot(), shard: board.shard)
            return SimpleResponse(status: .ok, contentType: "text/html; charset=utf-8", body: [allocator.buffer(string: html)])
        }
    }

    private func pathOf(_ head: HTTPRequestHead) -> String {
        head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
    }

    /// The path below the route prefix (`/prefix` itself is the landing page), or nil outside it.
    /// Compared as bytes, as Go's router does: Swift's `==` and `hasPrefix` would equate
    /// canonically equivalent spellings and treat a slash followed by a combining mark as no slash.
    private func routed(_ path: String) -> String? {
        guard !prefix.routes.isEmpty else { return path }
        if path.utf8.elementsEqual(prefix.routes.utf8) { return "/" }
        guard path.utf8.starts(with: (prefix.routes + "/").utf8) else { return nil }
        return String(decoding: path.utf8.dropFirst(prefix.routes.utf8.count), as: UTF8.self)
    }

    private func text(_ status: HTTPResponseStatus, _ message: String, _ allocator: ByteBufferAllocator) -> SimpleResponse {
        SimpleResponse(status: status, contentType: "text/plain; charset=utf-8", body: [allocator.buffer(string: message)])
    }
}
