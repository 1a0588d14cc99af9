/// Why a request to the API produced no usable response.
///
/// The raw values are the `reason` label of `databrain_api_request_failures_total`; every case is
/// exported at 0 from the start, so adding a case is a change to the metrics contract.
public enum RequestFailureReason: String, CaseIterable, Sendable {
    /// The request did not complete within `--poll.timeout`.
    case timeout
    /// The TCP connection could not be established (refused, unreachable).
    case connect
    /// The host name did not resolve.
    case dns
    /// The TLS handshake or certificate verification failed.
    case tls
    /// The body was larger than the configured cap.
    case tooLarge = "too_large"
    /// The body was not the documented JSON shape.
    case decode
    /// A redirect went to another origin, or there were too many redirects.
    case redirect
    /// The connection broke after it was established (reset, empty reply, truncated body).
    case network
}
