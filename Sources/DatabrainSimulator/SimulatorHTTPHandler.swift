import DocumentedAPI
import NIOCore
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#endif

/// Routes one request: `/_sim/*` control, then the per-client rate limit, `/health/*`,
/// the documented lists with faults applied, and 405 for any other method under /api/.
final class SimulatorHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: SimulatorState
    private let health: HealthAPI
    private let rateLimit: ClientRateLimit
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var servedAPIRequest = false
    /// The rate limiter's headers for the request being answered (on every answer, as Express sends them).
    private var limitHeaders: [(String, String)] = []

    init(state: SimulatorState, health: HealthAPI, rateLimit: ClientRateLimit) {
        self.state = state
        self.health = health
        self.rateLimit = rateLimit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var chunk):
            body.append(contentsOf: chunk.readBytes(length: chunk.readableBytes) ?? [])
        case .end:
            guard let head else { return }
            self.head = nil
            route(head, context: context)
        }
    }

    private func route(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let (path, query) = ListAPI.parseQuery(head.uri)
        if path.hasPrefix("/_sim/") {
            send(ControlAPI.handle(method: head.method.rawValue, path: path, query: query, body: body, state: state, health: health,
                                   rateLimit: rateLimit), head: head, context: context)
            return
        }
        state.received()
        // Hasura is its own service: Databrain's rate limit does not count it.
        if let reply = health.hasuraReply(path: path) {
            if reply.status != 0 { send(reply, head: head, context: context) }  // 0: hang
            return
        }
        // Databrain counts every endpoint against the client's IP (X-Client-IP first), health included.
        let decision = rateLimit.admit(client: head.headers.first(name: "X-Client-IP") ?? context.channel.remoteAddress?.ipAddress ?? "?")
        if let limited = decision.limited {
            limitHeaders = []
            send(limited, head: head, context: context)
            return
        }
        limitHeaders = decision.headers
        if let reply = health.reply(path: path, authorization: head.headers.first(name: "Authorization")) {
            if reply.status != 0 { send(reply, head: head, context: context) }  // 0: hang
            return
        }
        guard head.method == .GET else {
            // Every write the real API has lives under /api/; the exporter must never send one.
            if path.hasPrefix("/api/") { state.nonGetRequest() }
            send(ListAPI.errorReply(status: 405), head: head, context: context)
            return
        }
        guard let endpoint = DocumentedEndpoint.at(path: path) else {
            send(ListAPI.errorReply(status: 404), head: head, context: context)
            return
        }
        if !servedAPIRequest {
            servedAPIRequest = true
            state.apiConnectionUsed()
        }
        let (inventory, fault, access) = state.beginRequest(endpoint, query: query, authorization: head.headers.first(name: "Authorization"))
        let reply = ListAPI.reply(query: query, endpoint: endpoint, access: access, inventory: inventory)
        apply(fault, to: reply, endpoint: endpoint, head: head, context: context)
    }

    private func apply(_ fault: Fault, to reply: ListAPI.Reply, endpoint: DocumentedEndpoint, head: HTTPRequestHead, context: ChannelHandlerContext) {
        switch fault {
        case .none:
            send(reply, head: head, context: context)
        case .status(let status, let withBody):
            send(withBody ? ListAPI.errorReply(status: status) : .init(status: status, body: ""), head: head, context: context)
        case .badToken:
            send(ListAPI.reply(endpoint.tokenRejection), head: head, context: context)
        case .expiredToken(let status):
            send(ListAPI.reply(.expiredToken(status: status)), head: head, context: context)
        case .rateLimit(let retryAfter):
            // The JSON 429 of an API gateway in front of Databrain; express-rate-limit's own is ClientRateLimit's.
            var limited = ListAPI.errorReply(status: 429)
            if let retryAfter { limited.headers.append(("Retry-After", retryAfter)) }
            send(limited, head: head, context: context)
        case .hang:
            break  // never answer; the client's timeout must fire
        case .slow(let milliseconds):
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(milliseconds))) {
                let (handler, context) = loopBound.value
                handler.send(reply, head: head, context: context)
            }
        case .malformed:
            send(.init(status: 200, body: #"{"data":[{"name":"trunc"#), head: head, context: context)
        case .redirect(let status, let location):
            var moved = ListAPI.Reply(status: status, body: "")
            moved.headers.append(("Location", location))
            send(moved, head: head, context: context)
        case .html:
            var page = ListAPI.Reply(status: 200, body: "<html><body><h1>Maintenance</h1></body></html>")
            page.headers = [("Content-Type", "text/html")]
            send(page, head: head, context: context)
        case .raw(let status, let body):
            send(.init(status: status, body: body), head: head, context: context)
        case .trickle(let milliseconds):
            sendHead(status: 200, contentLength: reply.body.utf8.count, head: head, context: context)
            trickle(Array(reply.body.utf8)[...], every: .milliseconds(Int64(milliseconds)), context: context)
        case .reset:
            let bytes = Array(reply.body.utf8)
            sendHead(status: 200, contentLength: bytes.count, head: head, context: context)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes.prefix(bytes.count / 2))))), promise: nil)
            let channel = context.channel
            context.flush()
            // SO_LINGER with a zero timeout turns close() into a RST instead of a FIN.
            if let provider = channel as? SocketOptionProvider {
                provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
            } else {
                channel.close(promise: nil)
            }
        case .huge(let bytes):
            sendHead(status: 200, contentLength: bytes, head: head, context: context)
            stream(remaining: bytes, context: context)
        }
    }

    private func sendHead(status: Int, contentLength: Int, head: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        headers.add(name: "Content-Length", value: String(contentLength))
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: status), headers: headers))), promise: nil)
    }

    /// Writes one byte, then schedules the rest; stops when the client goes away.
    private func trickle(_ bytes: ArraySlice<UInt8>, every interval: TimeAmount, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        guard let first = bytes.first else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: [first])))), promise: nil)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: interval) {
            let (handler, context) = loopBound.value
            handler.trickle(bytes.dropFirst(), every: interval, context: context)
        }
    }

    /// Streams filler in 64 KiB chunks, each written once the previous one left, until done or
    /// until the client closes (as a client with a body cap must).
    private func stream(remaining: Int, context: ChannelHandlerContext) {
        guard remaining > 0 else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        let size = min(remaining, Self.filler.readableBytes)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(Self.filler.getSlice(at: 0, length: size)!)))).whenSuccess {
            let (handler, context) = loopBound.value
            handler.stream(remaining: remaining - size, context: context)
        }
    }

    private static let filler = ByteBuffer(repeating: UInt8(ascii: " "), count: 64 * 1024)

    private func send(_ reply: ListAPI.Reply, head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders(reply.headers + limitHeaders)
        limitHeaders = []
        headers.add(name: "Content-Length", value: String(reply.body.utf8.count))
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: reply.status), headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: reply.body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }
}
