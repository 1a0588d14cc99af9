// HTTPClient/ owns HTTP as a client: the HTTPTransport seam and libcurl behind it (one easy
// handle and queue per target, the body cap, failure reasons). It knows nothing of Databrain's
// API, the token's meaning or metrics; headers are opaque and never logged.

/// What the Databrain API client needs from HTTP: one exchange at a time, synchronously, inside
/// a session. ``CurlSession`` is the real one; tests script one to drive pagination, redirects,
/// Retry-After and error classification in-process, without a socket.
public protocol HTTPTransport: Sendable {
    /// Whether the session was cancelled; callers stop making requests and report `.cancelled`.
    var isCancelled: Bool { get }

    /// Performs a GET and waits for the whole response. Redirects are returned, never followed.
    func get(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure>
}

/// Opens sessions of exchanges made one after another (a poll's pages, then its health probes).
/// ``CurlHTTPClient`` is the real one: one libcurl handle, one kept-alive connection, its own thread.
public protocol HTTPSessionProvider: Sendable {
    /// Runs `body` with a transport and returns its value; cancelling the calling task returns
    /// `whenCancelled` at once and the transport refuses further requests.
    func withSession<Value: Sendable>(
        whenCancelled: Value, _ body: @escaping @Sendable (any HTTPTransport) -> Value
    ) async -> Value
}
