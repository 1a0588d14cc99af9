import NIOCore
import NIOHTTP1

/// Closes connections that hold a slot without using it (slowloris): the rules are
/// ``RequestHeadDeadline``'s; this handler feeds it the connection's events and the event loop's
/// clock, and carries out what it answers (one lazily re-armed timer, or a close).
final class ConnectionTimeouts: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var deadline: RequestHeadDeadline
    private var timer: Scheduled<Void>?

    init(readHeaderTimeout: Duration, idleTimeout: Duration) {
        deadline = RequestHeadDeadline(readHeaderTimeout: .milliseconds(readHeaderTimeout.wholeMilliseconds),
                                       idleTimeout: .milliseconds(idleTimeout.wholeMilliseconds))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { perform(deadline.connectionOpened(at: context.eventLoop.now), context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(deadline.connectionOpened(at: context.eventLoop.now), context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { deadline.requestHeadArrived() }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { perform(deadline.responseEnded(at: context.eventLoop.now), context: context) }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    private func stop() {
        timer?.cancel()
        timer = nil
        deadline.stopped()
    }

    private func perform(_ action: RequestHeadDeadline.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .close:
            context.close(promise: nil)
        case .armTimer(let when):
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            timer = context.eventLoop.scheduleTask(deadline: when) {
                let (handler, context) = loopBound.value
                handler.timer = nil
                handler.perform(handler.deadline.timerFired(at: context.eventLoop.now), context: context)
            }
        }
    }
}
