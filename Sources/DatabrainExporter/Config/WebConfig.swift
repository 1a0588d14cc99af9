/// `--web.config.file`: TLS, basic auth and response headers for the exporter's own endpoint, in
/// the schema of the Prometheus exporter-toolkit (so one file serves node_exporter and this one).
///
/// ```yaml
/// tls_server_config:
///   cert_file: /etc/databrain_exporter/tls.crt
///   key_file: /etc/databrain_exporter/tls.key
///   min_version: TLS12                       # TLS12 (default) or TLS13
///   client_auth_type: RequireAndVerifyClientCert   # or NoClientCert (default)
///   client_ca_file: /etc/databrain_exporter/clients-ca.crt
/// basic_auth_users:
///   prometheus: $2y$10$...                   # bcrypt (htpasswd -nBC 10 "" | tr -d ':\n')
/// http_server_config:
///   headers:
///     Strict-Transport-Security: max-age=31536000
/// ```
public struct WebConfig: Sendable, Equatable {
    /// Serve HTTPS with these settings.
    public var tls: TLSServerConfig?
    /// User name → bcrypt hash; empty means no authentication.
    public var basicAuthUsers: [String: String]
    /// Extra headers on every response, in name order.
    public var headers: [(name: String, value: String)]

    /// Creates a configuration.
    public init(tls: TLSServerConfig? = nil, basicAuthUsers: [String: String] = [:], headers: [(name: String, value: String)] = []) {
        self.tls = tls
        self.basicAuthUsers = basicAuthUsers
        self.headers = headers
    }

    public static func == (lhs: WebConfig, rhs: WebConfig) -> Bool {
        lhs.tls == rhs.tls && lhs.basicAuthUsers == rhs.basicAuthUsers
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// Files whose change must be picked up (rotated certificates): the TLS files, if any.
    var referencedFiles: [String] {
        guard let tls else { return [] }
        return [tls.certFile, tls.keyFile] + (tls.clientCAFile.map { [$0] } ?? [])
    }
}

/// `tls_server_config`.
public struct TLSServerConfig: Sendable, Equatable {
    /// exporter-toolkit's `client_auth_type` values this exporter implements.
    public enum ClientAuth: String, Sendable {
        case none = "NoClientCert"
        case requireAndVerify = "RequireAndVerifyClientCert"
    }

    /// TLS protocol versions by exporter-toolkit's names.
    public enum Version: String, Sendable, Comparable {
        case tls12 = "TLS12"
        case tls13 = "TLS13"

        public static func < (lhs: Version, rhs: Version) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// PEM certificate chain.
    public var certFile: String
    /// PEM private key.
    public var keyFile: String
    /// Whether clients must present a certificate signed by `clientCAFile`.
    public var clientAuth: ClientAuth
    /// PEM CAs that sign client certificates.
    public var clientCAFile: String?
    /// Oldest protocol accepted.
    public var minVersion: Version
    /// Newest protocol offered (nil: the newest available).
    public var maxVersion: Version?
}
