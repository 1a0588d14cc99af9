import CCrypt

/// Checks passwords against bcrypt hashes with libxcrypt.
///
/// bcrypt is slow on purpose (tens of milliseconds at cost 10), so callers run it off the event
/// loop (``BasicAuthenticator`` caches and bounds the checks).
enum BcryptHash {
    /// `$2a$`, `$2b$` or `$2y$`, a two-digit cost, `$`, then 53 characters of salt and hash.
    static func isWellFormed(_ hash: String) -> Bool {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, hash.hasPrefix("$2a$") || hash.hasPrefix("$2b$") || hash.hasPrefix("$2y$") else { return false }
        let alphabet = Set("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        return bytes[4...5].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            && bytes[6] == UInt8(ascii: "$") && bytes[7...].allSatisfy(alphabet.contains)
    }

    /// Whether `password` matches `hash`.
    static func matches(password: String, hash: String) -> Bool {
        // crypt_r stops at NUL: a password with one must not match its prefix.
        guard !password.utf8.contains(0) else { return false }
        return dbx_crypt_matches(password, hash) == 1
    }
}
