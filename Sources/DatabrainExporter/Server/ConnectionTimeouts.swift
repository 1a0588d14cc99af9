import NIOCore
import NIOHTTP1

/// Closes connections that hold a slot without using it (slowloris), in the spirit of Go's
/// `ReadHeaderTimeout` and `IdleTimeout`, with one deadline:
/// - a new connection's first request head must be complete within `readHeaderTimeout`; bytes
///   trickling in one at a time do not extend it;
/// - after a response, the next request head must be complete within `idleTimeout`.
/// While a request is being answered neither applies (a large response to a slow reader is the
/// scrape limiter's business).
final class ConnectionTimeouts: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let readHeaderTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(readHeaderTimeout: Duration, idleTimeout: Duration) {
        self.readHeaderTimeout = .nanoseconds(Int64(readHeaderTimeout.wholeMilliseconds) * 1_000_000)
        self.idleTimeout = .nanoseconds(Int64(idleTimeout.wholeMilliseconds) * 1_000_000)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { waitForRequest(within: readHeaderTimeout, context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        waitForRequest(within: readHeaderTimeout, context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            cancelDeadline()  // answering now
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            let promise = promise ?? context.eventLoop.makePromise()
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess {
                let (handler, context) = loopBound.value
                handler.waitForRequest(within: handler.idleTimeout, context: context)
            }
            context.write(data, promise: promise)
            return
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
    }

    private func waitForRequest(within timeout: TimeAmount, context: ChannelHandlerContext) {
        cancelDeadline()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}
