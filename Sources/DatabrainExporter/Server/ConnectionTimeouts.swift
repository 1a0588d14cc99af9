import NIOCore
import NIOHTTP1

/// Closes connections that hold a slot without using it (slowloris), in the spirit of Go's
/// `ReadHeaderTimeout` and `IdleTimeout`, with one deadline:
/// - a new connection's first request head must be complete within `readHeaderTimeout`; bytes
///   trickling in one at a time do not extend it;
/// - after a response, the next request head must be complete within `idleTimeout`.
/// While a request is being answered neither applies (a large response to a slow reader is the
/// scrape limiter's business).
///
/// The timer is lazy, as Go's deadlines are: a request only records the time, and a timer that
/// fires early re-arms itself for what is left. Scheduling and cancelling a timer per request
/// cost measurable throughput on small scrapes.
final class ConnectionTimeouts: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let readHeaderTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    /// When the connection started waiting for a request head, and for how long it may; nil while
    /// a request is being answered.
    private var waiting: (since: NIODeadline, limit: TimeAmount)?
    private var timer: Scheduled<Void>?

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
            waiting = nil  // answering now
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            waitForRequest(within: idleTimeout, context: context)
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    private func waitForRequest(within limit: TimeAmount, context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        waiting = (now, limit)
        if timer == nil { arm(at: now + limit, context: context) }
    }

    private func arm(at deadline: NIODeadline, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        timer = nil
        guard let waiting else { return }  // a request is being answered; its end re-arms
        let deadline = waiting.since + waiting.limit
        if NIODeadline.now() >= deadline {
            context.close(promise: nil)
        } else {
            arm(at: deadline, context: context)
        }
    }
}
