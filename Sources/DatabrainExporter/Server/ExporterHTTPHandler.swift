import NIOCore
import NIOHTTP1
import NIOPosix

/// Answers one request at a time per connection (NIO's pipeline keeps pipelined requests in order):
/// checks basic auth when the web config asks for it, routes, and adds the configured headers.
final class ExporterHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: ExporterRoutes
    private let web: WebConfigStore?
    private let authenticator: BasicAuthenticator
    private var head: HTTPRequestHead?
    /// The web config the connection was accepted with, used for its first request: a new
    /// connection's first request then checks the files once, not twice in a row.
    private var acceptedWith: WebConfigStore.Snapshot?

    init(routes: ExporterRoutes, web: WebConfigStore?, acceptedWith: WebConfigStore.Snapshot?, authenticator: BasicAuthenticator) {
        self.routes = routes
        self.web = web
        self.acceptedWith = acceptedWith
        self.authenticator = authenticator
    }

    /// The web config for this request: checked once per request, as exporter-toolkit reads it
    /// for every request, so a changed password applies to the next scrape.
    private func webConfig() -> WebConfig? {
        defer { acceptedWith = nil }
        return (acceptedWith ?? web?.current())?.config
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break  // no route takes a body
        case .end:
            guard let head else { return }
            self.head = nil
            let config = webConfig()
            let headers = config?.headers ?? []
            guard let users = config?.basicAuthUsers, !users.isEmpty else {
                answer(head, headers: headers, context: context)
                return
            }
            authenticate(head, users: users, headers: headers, context: context)
        }
    }

    /// ``BasicAuthenticator`` answers from its cache on the event loop, or after one bcrypt check
    /// on the thread pool; a flood of distinct checks is answered 503 at once.
    private func authenticate(_ head: HTTPRequestHead, users: [String: String], headers: [(name: String, value: String)], context: ChannelHandlerContext) {
        guard let credentials = BasicAuthCredentials(header: head.headers.first(name: "Authorization")) else {
            respond(allowed: false, to: head, headers: headers, context: context)
            return
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        authenticator.authenticate(credentials, users: users, on: context.eventLoop).whenSuccess { outcome in
            let (handler, context) = loopBound.value
            switch outcome {
            case .allowed, .denied:
                handler.respond(allowed: outcome == .allowed, to: head, headers: headers, context: context)
            case .busy:
                var busy = SimpleResponse(status: .serviceUnavailable, contentType: "text/plain; charset=utf-8",
                                          body: [context.channel.allocator.buffer(string: "503 Service Unavailable: too many password checks at once\n")])
                busy.extraHeaders.append(("Retry-After", "1"))
                handler.write(busy, for: head, headers: headers, context: context)
            }
        }
    }

    private func respond(allowed: Bool, to head: HTTPRequestHead, headers: [(name: String, value: String)], context: ChannelHandlerContext) {
        if allowed {
            answer(head, headers: headers, context: context)
        } else {
            var denied = SimpleResponse(status: .unauthorized, contentType: "text/plain; charset=utf-8",
                                        body: [context.channel.allocator.buffer(string: "401 Unauthorized\n")])
            denied.extraHeaders.append(("WWW-Authenticate", #"Basic realm="databrain_exporter", charset="UTF-8""#))
            write(denied, for: head, headers: headers, context: context)
        }
    }

    /// Writes the route's answer now, or once it is ready (on this channel's loop, where the
    /// handler lives; pipelined requests wait, as NIO's pipelining handler holds them).
    private func answer(_ head: HTTPRequestHead, headers: [(name: String, value: String)], context: ChannelHandlerContext) {
        switch routes.respond(to: head, allocator: context.channel.allocator, eventLoop: context.eventLoop) {
        case .now(let response):
            write(response, for: head, headers: headers, context: context)
        case .later(let future):
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            future.whenSuccess { response in
                let (handler, context) = loopBound.value
                handler.write(response, for: head, headers: headers, context: context)
            }
        }
    }

    private func write(_ response: SimpleResponse, for request: HTTPRequestHead, headers configured: [(name: String, value: String)], context: ChannelHandlerContext) {
        guard context.channel.isActive else {
            response.onWritten?(false)
            return
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.reduce(0) { $0 + $1.readableBytes }))
        for (name, value) in response.extraHeaders { headers.add(name: name, value: value) }
        for (name, value) in configured { headers.add(name: name, value: value) }
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }

        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: response.status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            for part in response.body where part.readableBytes > 0 {
                context.write(wrapOutboundOut(.body(.byteBuffer(part))), promise: nil)
            }
        }
        let channel = context.channel
        let onWritten = response.onWritten
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { result in
            if case .success = result { onWritten?(true) } else { onWritten?(false) }
            if !keepAlive { channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Malformed requests: NIO's error handler already answered 400; drop the connection.
        context.close(promise: nil)
    }
}
