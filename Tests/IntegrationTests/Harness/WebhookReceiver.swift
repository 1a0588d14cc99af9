import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Locking

/// Stands where a person's pager would be: an Alertmanager `webhook_configs` receiver on
/// 127.0.0.1, port chosen by the kernel. It keeps every notification Alertmanager delivers.
final class WebhookReceiver: Sendable {
    /// One alert inside a notification, as Alertmanager's webhook payload carries it.
    struct Alert: Sendable {
        /// `firing` or `resolved`.
        var status: String
        var labels: [String: String]
        /// summary, description, runbook_url: what the person reads.
        var annotations: [String: String]
    }

    /// One delivery: Alertmanager's group key (what a pager deduplicates incidents on), the
    /// group's status and its alerts.
    struct Notification: Sendable {
        var groupKey: String
        var status: String
        var alerts: [Alert]
    }

    /// `http://127.0.0.1:PORT/`, for the receiver's `url`.
    let url: String
    private let inbox = Inbox()
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    init() async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let inbox = self.inbox
        let sink: @Sendable (String) -> Void = { body in
            if let notification = Self.decode(body) {
                inbox.received.withLock { $0.append(notification) }
            } else {
                inbox.undecodable.withLock { $0.append(body) }
            }
        }
        channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(WebhookHandler(sink: sink))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        url = "http://127.0.0.1:\(channel.localAddress?.port ?? 0)/"
    }

    /// Every notification so far, in arrival order. Throws if Alertmanager sent a body that is
    /// not its webhook payload, so a format change cannot pass as "nothing delivered".
    func notifications() throws -> [Notification] {
        let bad = inbox.undecodable.withLock { $0 }
        guard bad.isEmpty else { throw HarnessError("webhook bodies that are not Alertmanager's payload: \(bad)") }
        return inbox.received.withLock { $0 }
    }

    /// Every alert delivered with `status` (`firing` or `resolved`) whose labels include `labels`.
    func delivered(_ status: String, _ labels: [String: String]) throws -> [Alert] {
        try notifications().flatMap(\.alerts).filter { alert in
            alert.status == status && labels.allSatisfy { alert.labels[$0.key] == $0.value }
        }
    }

    func stop() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }

    private static func decode(_ body: String) -> Notification? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let status = object["status"] as? String, let alerts = object["alerts"] as? [[String: Any]],
              let groupKey = object["groupKey"] as? String else { return nil }
        return Notification(groupKey: groupKey, status: status, alerts: alerts.map { alert in
            Alert(status: alert["status"] as? String ?? "?", labels: alert["labels"] as? [String: String] ?? [:],
                  annotations: alert["annotations"] as? [String: String] ?? [:])
        })
    }
}

/// What the receiver has been sent, shared with the connections' handlers.
private final class Inbox: Sendable {
    let received = Locked<[WebhookReceiver.Notification]>([])
    let undecodable = Locked<[String]>([])
}

/// Reads one request's body and answers 200, as a receiver that accepted the page would.
private final class WebhookHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let sink: @Sendable (String) -> Void
    private var body = ByteBuffer()

    init(sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            sink(String(buffer: body))
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["content-length": "0"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
