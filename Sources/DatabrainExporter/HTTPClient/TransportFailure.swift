/// A request that ended without an HTTP response (or with one cut off).
public struct TransportFailure: Error, Sendable {
    /// The failure class, which becomes a metric label.
    public var reason: RequestFailureReason
    /// libcurl's own message, for logs and the landing page. Never contains request headers.
    public var detail: String
    /// How long the attempt took before it failed.
    public var duration: Duration

    /// Creates a failure.
    public init(reason: RequestFailureReason, detail: String, duration: Duration) {
        self.reason = reason
        self.detail = detail
        self.duration = duration
    }
}
