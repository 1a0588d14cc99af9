import NIOCore
import NIOHTTP1

/// A finished response, ready to write.
struct SimpleResponse {
    var status: HTTPResponseStatus
    var contentType: String
    /// Sent one after the other; more than one only for the exposition (see `expositionParts`).
    var body: [ByteBuffer]
    var extraHeaders: [(String, String)] = []
}

/// The exporter's HTTP surface: which path answers what.
struct ExporterRoutes: Sendable {
    let telemetryPath: String
    let metrics: ExporterMetrics
    let board: TargetStatusBoard

    func respond(to head: HTTPRequestHead, allocator: ByteBufferAllocator) -> SimpleResponse {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
        let known = [telemetryPath, "/", "/-/healthy", "/-/ready"]
        guard known.contains(path) else {
            return text(.notFound, "404 page not found: try \(telemetryPath) or /\n", allocator)
        }
        guard head.method == .GET || head.method == .HEAD else {
            var response = text(.methodNotAllowed, "405 method not allowed: use GET or HEAD\n", allocator)
            response.extraHeaders.append(("Allow", "GET, HEAD"))
            return response
        }
        switch path {
        case telemetryPath:
            // Compressed by the metrics (cached), not by a per-response compressor: see GzipCache.
            if AcceptEncoding.allowsGzip(head.headers["Accept-Encoding"]) {
                return SimpleResponse(status: .ok, contentType: ExporterMetrics.contentType, body: [metrics.gzippedExposition()],
                                      extraHeaders: [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")])
            }
            return SimpleResponse(status: .ok, contentType: ExporterMetrics.contentType, body: metrics.expositionParts(),
                                  extraHeaders: [("Vary", "Accept-Encoding")])
        case "/-/healthy":
            return text(.ok, "Healthy\n", allocator)
        case "/-/ready":
            let waiting = board.snapshot().filter { !$0.polled }.map(\.name)
            return waiting.isEmpty
                ? text(.ok, "Ready\n", allocator)
                : text(.serviceUnavailable, "Not ready: waiting for the first poll of \(waiting.joined(separator: ", "))\n", allocator)
        default:
            let html = LandingPage.render(telemetryPath: telemetryPath, targets: board.snapshot())
            return SimpleResponse(status: .ok, contentType: "text/html; charset=utf-8", body: [allocator.buffer(string: html)])
        }
    }

    private func text(_ status: HTTPResponseStatus, _ message: String, _ allocator: ByteBufferAllocator) -> SimpleResponse {
        SimpleResponse(status: status, contentType: "text/plain; charset=utf-8", body: [allocator.buffer(string: message)])
    }
}
