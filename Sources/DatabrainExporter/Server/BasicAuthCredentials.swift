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

    /// Whether these credentials match one of `users` (user → bcrypt hash). Takes a bcrypt's time
    /// whether or not the user exists.
    func verify(against users: [String: String]) -> Bool {
        guard let anyHash = users.values.first else { return false }
        guard let hash = users[user] else {
            _ = BcryptHash.matches(password: password, hash: BcryptHash.dummy(like: anyHash))
            return false
        }
        return BcryptHash.matches(password: password, hash: hash)
    }
}
