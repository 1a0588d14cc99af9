/// A TLS cipher suite by the name Go's `crypto/tls` gives it, as exporter-toolkit's
/// `cipher_suites` takes them: exactly the names of Go's `tls.CipherSuites()` (the secure ones),
/// so a file that node_exporter accepts is accepted here and one it rejects is rejected.
public struct TLSCipherSuite: Sendable, Hashable {
    /// Go's name, e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`.
    public let name: String
    /// The IANA code point.
    public let value: UInt16
    /// TLS 1.3 suites are always on, in Go as in BoringSSL: naming them changes nothing.
    public var isTLS13: Bool { value >> 8 == 0x13 }

    /// Every name Go's `tls.CipherSuites()` returns.
    public static let all: [TLSCipherSuite] = [
        .init(name: "TLS_AES_128_GCM_SHA256", value: 0x1301),
        .init(name: "TLS_AES_256_GCM_SHA384", value: 0x1302),
        .init(name: "TLS_CHACHA20_POLY1305_SHA256", value: 0x1303),
        .init(name: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", value: 0xC009),
        .init(name: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", value: 0xC00A),
        .init(name: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", value: 0xC013),
        .init(name: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", value: 0xC014),
        .init(name: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", value: 0xC02B),
        .init(name: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", value: 0xC02C),
        .init(name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", value: 0xC02F),
        .init(name: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", value: 0xC030),
        .init(name: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", value: 0xCCA8),
        .init(name: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", value: 0xCCA9),
    ]

    /// What Go offers for TLS 1.2 when `cipher_suites` is not set: forward-secret (ECDHE) suites
    /// only, AEADs first. Static-RSA key exchange is never offered.
    public static let goDefaults: [TLSCipherSuite] = [
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    ].compactMap(named)

    /// The suite Go calls `name`, or nil.
    public static func named(_ name: String) -> TLSCipherSuite? { all.first { $0.name == name } }

    /// HTTP/2 (RFC 7540, 9.2.2) needs one of these when TLS 1.2 suites are restricted; Go's HTTP
    /// server refuses a list without one unless HTTP/2 is off, and so does this exporter.
    static let http2Required: Set<String> = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"]
}

/// A key-exchange group by exporter-toolkit's `curve_preferences` names.
public struct TLSCurve: Sendable, Hashable {
    /// exporter-toolkit's name, e.g. `CurveP256`.
    public let name: String
    /// The IANA code point of the named group.
    public let value: UInt16

    /// The four names exporter-toolkit accepts.
    public static let all: [TLSCurve] = [
        .init(name: "CurveP256", value: 0x17), .init(name: "CurveP384", value: 0x18),
        .init(name: "CurveP521", value: 0x19), .init(name: "X25519", value: 0x1D),
    ]

    /// The group exporter-toolkit calls `name`, or nil.
    public static func named(_ name: String) -> TLSCurve? { all.first { $0.name == name } }
}
