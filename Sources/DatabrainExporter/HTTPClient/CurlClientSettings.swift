/// A target's TLS and identity settings, applied to each of its transfers.
public struct CurlClientSettings: Sendable, Equatable {
    /// PEM bundle of CAs to trust instead of the system store.
    public var caFile: String?
    /// Skip certificate and host name verification. Dangerous; for test installations only.
    public var insecureSkipVerify: Bool
    /// Sent as `User-Agent`.
    public var userAgent: String

    /// Creates settings.
    public init(caFile: String? = nil, insecureSkipVerify: Bool = false, userAgent: String) {
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
        self.userAgent = userAgent
    }
}
