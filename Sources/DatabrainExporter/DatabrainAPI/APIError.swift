import FoundationEssentials

/// A non-2xx answer from the API, classified by HTTP status first and by the body second.
public struct APIError: Error, Sendable, Equatable {
    /// What kind of failure the status means for the poller.
    public enum Kind: Sendable, Equatable {
        /// 400: the request (pagination parameters) was rejected.
        case badRequest
        /// 401/403: the service token is invalid, expired or missing.
        case authentication
        /// 429: over the rate limit; back off.
        case rateLimited
        /// 5xx: the server failed; back off.
        case server
        /// Any other status (404 for a wrong base URL, 3xx without a usable redirect, ...).
        case other
    }

    /// The HTTP status code.
    public var status: Int
    /// The classification of ``status``.
    public var kind: Kind
    /// `error.code` from the body, when the body had one (`AUTHENTICATION_ERROR`, ...).
    public var code: String?
    /// `error.message` from the body, shortened to one line.
    public var message: String?

    /// Whether the answer rejects the credentials, whatever the status: 401 or 403, or a body
    /// whose code says so (``isCredentialCode(_:)``). Databrain's pages disagree on the status:
    /// the data-app family documents a bad token as 400 `AUTHENTICATION_ERROR`, the datasource page
    /// as 401, the rotate-token page an expired one as 400 or 401 `EXPIRED_SERVICE_TOKEN`.
    public var rejectsCredentials: Bool {
        kind == .authentication || code.map(Self.isCredentialCode) == true
    }

    /// Whether an `error.code` names a credential problem. The documented ones are
    /// `AUTHENTICATION_ERROR` (spelt `AUTHENTICATION_ERR` on one page), `EXPIRED_SERVICE_TOKEN` and
    /// `INVALID_DATA_APP_API_KEY`; a code with `TOKEN` or `API_KEY` in it, or one that starts with
    /// `AUTH` or `UNAUTH`, is read the same way, so a future `INVALID_SERVICE_TOKEN` pages for the
    /// token, not for a bad request. Codes are upper snake case; the match ignores case anyway.
    public static func isCredentialCode(_ code: String) -> Bool {
        let code = code.uppercased()
        return code.hasPrefix("AUTH") || code.hasPrefix("UNAUTH") || code.contains("TOKEN") || code.contains("API_KEY")
    }

    /// Whether the poller should back off exponentially (rate limits and server errors).
    public var callsForBackoff: Bool { BackoffRule.backsOff(status: status) }

    /// Classifies a response. Never fails: a missing, HTML or empty body just leaves code and message nil.
    public static func classify(status: Int, body: [UInt8]) -> APIError {
        let kind: Kind
        switch status {
        case 400: kind = .badRequest
        case 401, 403: kind = .authentication
        case 429: kind = .rateLimited
        case 500...599: kind = .server
        default: kind = .other
        }
        let envelope = try? JSONDecoder().decode(ErrorEnvelope.self, from: Data(body))
        return APIError(
            status: status, kind: kind,
            code: envelope?.error?.code.map { oneLine($0, limit: 64) },
            message: envelope?.error?.message.map { oneLine($0, limit: 200) })
    }

    /// `HTTP 401 AUTHENTICATION_ERROR: Invalid service token`, for logs and the landing page.
    public var summary: String {
        var text = "HTTP \(status)"
        if let code { text += " \(code)" }
        if let message, !message.isEmpty { text += ": \(message)" }
        return text
    }

    private struct ErrorEnvelope: Decodable {
        struct Body: Decodable {
            let code: String?
            let message: String?
        }
        let error: Body?
    }

    // Upstream text goes into log lines: keep it to one bounded line.
    private static func oneLine(_ text: String, limit: Int) -> String {
        let flattened = text.map { $0.isNewline ? " " : $0 }
        let clipped = String(flattened.prefix(limit))
        return flattened.count > limit ? clipped + "…" : clipped
    }
}
