import FoundationEssentials

/// An error answer as Databrain's pages show it: a status, and the body
/// `{"error":{"code":…,"message":…,"status":…}}`.
public struct DocumentedError: Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The code and message Databrain documents most often for `status`.
    public static func standard(status: Int) -> DocumentedError {
        switch status {
        case 400: return DocumentedError(status: 400, code: "INVALID_REQUEST_BODY", message: "Invalid pagination parameters")
        case 401: return DocumentedError(status: 401, code: "AUTHENTICATION_ERROR", message: "Invalid or missing service token")
        case 403: return DocumentedError(status: 403, code: "FORBIDDEN", message: "This token may not read this resource")
        case 404: return DocumentedError(status: 404, code: "NOT_FOUND", message: "Not found")
        case 429: return DocumentedError(status: 429, code: "RATE_LIMIT_EXCEEDED", message: "Too many requests")
        case 500: return DocumentedError(status: 500, code: "INTERNAL_SERVER_ERROR", message: "Internal server error")
        default: return DocumentedError(status: status, code: "ERROR", message: "Simulated error")
        }
    }

    /// What a token turns into once a rotation's grace period is over. The rotate-token page
    /// documents it at 400 ("token already expired") in one version and 401 ("not found in DB
    /// or already expired") in the other.
    public static func expiredToken(status: Int) -> DocumentedError {
        DocumentedError(status: status, code: "EXPIRED_SERVICE_TOKEN",
                        message: status == 401 ? "Service token not found in DB or already expired" : "Service token already expired")
    }

    /// `{"error":{"code":…,"message":…,"status":…}}`, encoded.
    public var body: String {
        struct Envelope: Encodable {
            struct Inner: Encodable { let code: String; let message: String; let status: Int }
            let error: Inner
        }
        return DocumentedJSON.encode(Envelope(error: .init(code: code, message: message, status: status)))
    }
}
