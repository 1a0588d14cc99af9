// HTTPClient/ owns HTTP as a client: the HTTPTransport seam and libcurl behind it (one multi
// handle and thread for the whole process, per-target TLS settings, the body cap, failure
// reasons). It knows nothing of Databrain's API, the token's meaning or metrics; headers are
// opaque and never logged.

/// What the Databrain API client needs from HTTP: one GET at a time per caller, awaited.
///
/// A request in flight suspends its task and holds no thread. Cancelling the task aborts the
/// request at once and returns a failure (callers check `Task.isCancelled` and report
/// `.cancelled`). ``CurlClient`` is the real one; tests script one to drive pagination,
/// redirects, Retry-After and error classification in-process, without a socket.
public protocol HTTPTransport: Sendable {
    /// Performs a GET and returns the whole response. Redirects are returned, never followed.
    func get(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportFailure>
}
