/// `--web.config.file`: TLS, basic auth and response headers for the exporter's own endpoint, in
/// the schema of the Prometheus exporter-toolkit, so one file serves node_exporter and this one.
/// Every key exporter-toolkit reads is understood except `rate_limit` (refused with one line);
/// the compatibility table of docs/configuration.md lists each.
///
/// ```yaml
/// tls_server_config:
///   cert_file: tls.crt                       # relative paths: against this file's directory
///   key_file: tls.key
///   client_auth_type: RequireAndVerifyClientCert
///   client_ca_file: clients-ca.crt
/// basic_auth_users:
///   prometheus: $2y$10$...                   # bcrypt (htpasswd -nBC 10 "" | tr -d ':\n')
/// http_server_config:
///   headers:
///     Strict-Transport-Security: max-age=31536000
/// ```
public struct WebConfig: Sendable, Equatable {
    /// Serve HTTPS with these settings; nil (no `tls_server_config`, or an empty one): plain HTTP.
    public var tls: TLSServerConfig?
    /// User name → bcrypt hash; empty means no authentication.
    public var basicAuthUsers: [String: String]
    /// Extra headers on every response, in name order.
    public var headers: [(name: String, value: String)]
    /// `http_server_config.http2`: accepted for compatibility; this server speaks HTTP/1.1 only,
    /// so its one effect is exporter-toolkit's check that `cipher_suites` allow HTTP/2.
    public var http2: Bool

    /// Creates a configuration.
    public init(tls: TLSServerConfig? = nil, basicAuthUsers: [String: String] = [:], headers: [(name: String, value: String)] = [], http2: Bool = true) {
        self.tls = tls
        self.basicAuthUsers = basicAuthUsers
        self.headers = headers
        self.http2 = http2
    }

    public static func == (lhs: WebConfig, rhs: WebConfig) -> Bool {
        lhs.tls == rhs.tls && lhs.basicAuthUsers == rhs.basicAuthUsers && lhs.http2 == rhs.http2
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// Files whose change must be picked up (rotated certificates): the TLS files, if any.
    var referencedFiles: [String] {
        guard let tls else { return [] }
        return [tls.certificate, tls.key, tls.clientCA].compactMap { $0?.path }
    }
}

/// PEM text from a file (`cert_file`) or written inline in the web config (`cert`).
public enum PEMSource: Sendable, Equatable {
    /// A file, its path already resolved against the web config's directory.
    case file(String)
    /// The PEM text itself.
    case inline(String)

    /// The file's path, if it is one.
    var path: String? {
        if case .file(let path) = self { return path }
        return nil
    }

    /// How a message names it: the path, or the key it was written under.
    func describe(inlineKey: String) -> String {
        switch self {
        case .file(let path): return path
        case .inline: return "inline \(inlineKey)"
        }
    }
}

/// `tls_server_config`.
public struct TLSServerConfig: Sendable, Equatable {
    /// exporter-toolkit's `client_auth_type` values (Go's `tls.ClientAuthType`).
    public enum ClientAuth: String, Sendable, CaseIterable {
        /// No client certificate is asked for.
        case none = "NoClientCert"
        /// A certificate is asked for but neither required nor verified.
        case request = "RequestClientCert"
        /// A certificate is required but not verified.
        case requireAny = "RequireAnyClientCert"
        /// A certificate is verified against the client CAs when one is given.
        case verifyIfGiven = "VerifyClientCertIfGiven"
        /// A certificate is required and verified against the client CAs.
        case requireAndVerify = "RequireAndVerifyClientCert"
    }

    /// TLS protocol versions by exporter-toolkit's names.
    public enum Version: String, Sendable, Comparable, CaseIterable {
        case tls10 = "TLS10"
        case tls11 = "TLS11"
        case tls12 = "TLS12"
        case tls13 = "TLS13"

        public static func < (lhs: Version, rhs: Version) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The certificate chain.
    public var certificate: PEMSource
    /// The private key.
    public var key: PEMSource
    /// Whether and how clients present certificates.
    public var clientAuth: TLSServerConfig.ClientAuth
    /// CAs that sign client certificates.
    public var clientCA: PEMSource?
    /// Oldest protocol accepted (TLS12 by default, as Go).
    public var minVersion: TLSServerConfig.Version
    /// Newest protocol offered (nil: TLS 1.3).
    public var maxVersion: TLSServerConfig.Version?
    /// TLS 1.0–1.2 cipher suites in preference order; nil: ``TLSCipherSuite/goDefaults``
    /// (forward-secret only). TLS 1.3's suites are fixed, in Go as in BoringSSL.
    public var cipherSuites: [TLSCipherSuite]?
    /// Whether the server's order of `cipher_suites` wins over the client's (default true).
    public var preferServerCipherSuites: Bool
    /// Key-exchange groups in preference order; nil: the TLS library's defaults.
    public var curvePreferences: [TLSCurve]?
    /// When set, a client certificate must carry one of these SANs (DNS, email, IP or URI).
    public var clientAllowedSANs: [String]?

    /// Creates a configuration with exporter-toolkit's defaults for everything not given.
    public init(certificate: PEMSource, key: PEMSource, clientAuth: TLSServerConfig.ClientAuth = .none, clientCA: PEMSource? = nil,
                minVersion: TLSServerConfig.Version = .tls12, maxVersion: TLSServerConfig.Version? = nil, cipherSuites: [TLSCipherSuite]? = nil,
                preferServerCipherSuites: Bool = true, curvePreferences: [TLSCurve]? = nil, clientAllowedSANs: [String]? = nil) {
        self.certificate = certificate
        self.key = key
        self.clientAuth = clientAuth
        self.clientCA = clientCA
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.cipherSuites = cipherSuites
        self.preferServerCipherSuites = preferServerCipherSuites
        self.curvePreferences = curvePreferences
        self.clientAllowedSANs = clientAllowedSANs
    }
}
