import FoundationEssentials

/// The user and password of an `Authorization: Basic …` header (RFC 7617).
struct BasicAuthCredentials: Sendable {
    var user: String
    var password: String

    /// Parses the header value; nil when it is absent or not valid Basic credentials.
    init?(header: String?) {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1]).trimmingWhitespace()),
            let text = String(data: decoded, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        user = String(text[..<colon])
        password = String(text[text.index(after: colon)...])
    }
}
