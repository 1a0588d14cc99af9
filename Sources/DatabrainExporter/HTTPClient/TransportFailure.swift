/// A request that ended without an HTTP response (or with one cut off).
public struct TransportFailure: Error, Sendable {
    /// The failure class, which becomes a metric label.
    public var reason: RequestFailureReason
    /// libcurl's own message, for logs and the landing page. Never contains request headers.
    public var detail: String
    /// How long the attempt took before it failed.
    public var duration: Duration
    /// The request never reached the wire: ``HTTPRequest/mayStart`` held it back. Nothing was
    /// sent, so the caller may wait and send it again.
    public var heldBack = false

    /// Creates a failure.
    public init(reason: RequestFailureReason, detail: String, duration: Duration) {
        self.reason = reason
        self.detail = detail
        self.duration = duration
    }

    /// A request ``HTTPRequest/mayStart`` held back before it reached the wire.
    static func held(after duration: Duration) -> TransportFailure {
        var failure = TransportFailure(reason: .network, detail: "held back before it was sent", duration: duration)
        failure.heldBack = true
        return failure
    }
}
