/// Why a list (the datasources, or another collector's) was not fetched completely.
public enum PollFailure: Error, Sendable, Equatable {
    /// No usable token: the file is missing, unreadable or empty.
    case token(String)
    /// A request got no usable response (see ``RequestFailureReason``).
    case transport(RequestFailureReason, String)
    /// The API answered with a non-2xx status.
    case api(APIError, retryAfter: Duration?)
    /// A 200 response whose body was not the documented shape.
    case decode(String)
    /// A redirect to another origin, or too many redirects.
    case redirect(String)
    /// Pagination did not end within `--databrain.max-pages` pages.
    case pageLimit(Int)
    /// The exporter is shutting down.
    case cancelled

    /// One line for logs and the landing page. Never contains the token.
    public var summary: String {
        switch self {
        case .token(let detail): return detail
        case .transport(let reason, let detail): return "\(reason.rawValue): \(detail)"
        case .api(let error, _): return error.summary
        case .decode(let detail): return "decode: \(detail)"
        case .redirect(let detail): return "redirect: \(detail)"
        case .pageLimit(let pages): return "pagination did not end within \(pages) pages (raise --databrain.max-pages if the organisation really has that many objects)"
        case .cancelled: return "cancelled"
        }
    }

    /// Identifies the kind of failure, so the poller logs when it changes and not on every poll.
    public var stateKey: String {
        switch self {
        case .token: return "token"
        case .transport(let reason, _): return "transport:\(reason.rawValue)"
        case .api(let error, _): return "http:\(error.status)"
        case .decode: return "decode"
        case .redirect: return "redirect"
        case .pageLimit: return "page_limit"
        case .cancelled: return "cancelled"
        }
    }

    /// Every value ``reason`` takes, in the order `databrain_last_poll_failure` exports them.
    public static let reasons: [String] = ["credentials", "token_file", "rate_limited", "server_error", "http_error"]
        + RequestFailureReason.allCases.map(\.rawValue) + ["page_limit"]

    /// Why the poll failed, as `databrain_last_poll_failure`'s `reason` label: `credentials` when
    /// the API rejected the token (``APIError/rejectsCredentials``, whatever the status),
    /// `token_file` when there was no token to send, `rate_limited` (429), `server_error` (5xx),
    /// `http_error` (any other status), else the request failure reason (`timeout`, `connect`,
    /// `dns`, `tls`, `too_large`, `network`, `decode`, `redirect`) or `page_limit`. The alerts read
    /// it so that what pages names the last poll's cause, not one from minutes ago.
    public var reason: String {
        switch self {
        case .token: return "token_file"
        case .transport(let reason, _): return reason.rawValue
        case .api(let error, _):
            if error.rejectsCredentials { return "credentials" }
            if error.status == 429 { return "rate_limited" }
            return error.kind == .server ? "server_error" : "http_error"
        case .decode: return RequestFailureReason.decode.rawValue
        case .redirect: return RequestFailureReason.redirect.rawValue
        case .pageLimit: return "page_limit"
        case .cancelled: return "network"
        }
    }

    /// Whether the poller should back off (HTTP 429 and 5xx).
    public var callsForBackoff: Bool {
        if case .api(let error, _) = self { return error.callsForBackoff }
        return false
    }

    /// Whether the answer pauses every request to the origin (a 429, or a 503 with `Retry-After`;
    /// see ``BudgetedTransport``): the rest of the poll would only wait out the pause.
    public var pausesTheOrigin: Bool {
        if case .api(let error, let retryAfter) = self { return BackoffRule.pausesTheOrigin(status: error.status, retryAfter: retryAfter) }
        return false
    }

    /// The delay the server asked for with `Retry-After`, if any.
    public var retryAfter: Duration? {
        if case .api(_, let retryAfter) = self { return retryAfter }
        return nil
    }
}
