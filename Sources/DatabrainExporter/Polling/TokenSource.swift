/// Produces the service token for each poll.
///
/// A file is read again before every poll: Kubernetes updates mounted secrets in place (through
/// a `..data` symlink swap), and a rotated token must take effect without a restart. Reading a
/// tiny file once a minute costs nothing next to the HTTP request.
public enum TokenSource: Sendable {
    /// A token file, re-read each time.
    case file(String)
    /// A fixed value (from `DATABRAIN_TOKEN`).
    case value(String)

    /// Creates the source a target's configuration describes.
    public init(_ config: TokenSourceConfig) {
        switch config {
        case .file(let path): self = .file(path)
        case .value(let value): self = .value(value)
        }
    }

    /// What to do when Databrain rejects the token this source gives: one clause for a log line.
    public var rejectionHint: String {
        let cause = "Databrain rejected the service token (revoked, or rotated and past its grace period, when it answers EXPIRED_SERVICE_TOKEN)"
        switch self {
        case .file(let path): return "\(cause); write the current token to \(path): it is read again before every poll, no restart needed"
        case .value: return "\(cause); set DATABRAIN_TOKEN to the current token and restart the exporter"
        }
    }

    /// The current token, trimmed of surrounding whitespace (files usually end in a newline).
    /// The failure message names the file but never its contents.
    public func read() -> Result<String, PollFailure> {
        switch self {
        case .value(let value):
            return Self.checked(value.trimmingWhitespace(), source: "DATABRAIN_TOKEN")
        case .file(let path):
            switch FileSystem.readSmallFile(path, limit: 64 * 1024) {
            case .failure(let error):
                return .failure(.token("cannot read token file \(path): \(error.message); check the path and that the secret is mounted"))
            case .success(let bytes):
                let token = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
                guard !token.isEmpty else {
                    return .failure(.token("token file \(path) is empty; put the Databrain service token in it"))
                }
                return Self.checked(token, source: "token file \(path)")
            }
        }
    }

    /// The shape of a token is never checked (it is opaque), but a control character inside it
    /// (a second line, say) would break or inject into the Authorization header.
    private static func checked(_ token: String, source: String) -> Result<String, PollFailure> {
        guard !token.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return .failure(.token("\(source) holds a control character or line break inside the token; it must be the token alone"))
        }
        return .success(token)
    }
}
