/// Reads and checks `--web.config.file` (see ``WebConfig``). Every problem is one line naming the
/// file and the key; unknown keys and exporter-toolkit options this exporter does not implement
/// are errors, so a setting is never silently ignored.
public enum WebConfigLoader {
    static let topLevelKeys: Set<String> = ["tls_server_config", "basic_auth_users", "http_server_config"]
    static let tlsKeys: Set<String> = ["cert_file", "key_file", "client_auth_type", "client_ca_file", "min_version", "max_version"]
    static let httpKeys: Set<String> = ["headers"]
    /// The headers exporter-toolkit lets a web config set; others would break the protocol.
    static let allowedHeaders: Set<String> = [
        "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "X-XSS-Protection", "Content-Security-Policy",
    ]

    /// Loads and validates the file, including that the TLS files are readable.
    public static func load(path: String) throws(ConfigError) -> WebConfig {
        let text: String
        switch FileSystem.readSmallFile(path, limit: 1 << 20) {
        case .success(let bytes): text = String(decoding: bytes, as: UTF8.self)
        case .failure(let error): throw ConfigError("cannot read web config file \(path): \(error.message)")
        }
        let config = try parse(yaml: text, source: path)
        for file in config.referencedFiles where !FileSystem.isReadable(file) {
            throw ConfigError("\(path): cannot read \(file); check the path and permissions")
        }
        return config
    }

    /// Parses YAML text (no file system access).
    public static func parse(yaml: String, source: String) throws(ConfigError) -> WebConfig {
        // An empty file: plain HTTP, no auth.
        guard let root = try YAMLFields.document(yaml, source: source, allowed: topLevelKeys) else { return WebConfig() }
        var config = WebConfig()
        if let tls = try root.fields("tls_server_config", allowed: tlsKeys) { config.tls = try tlsConfig(tls) }
        if let users = try root.fields("basic_auth_users", allowed: nil, expected: "a mapping of user: bcrypt hash") {
            config.basicAuthUsers = try basicAuthUsers(users)
        }
        if let http = try root.fields("http_server_config", allowed: httpKeys) { config.headers = try headers(http) }
        return config
    }

    private static func tlsConfig(_ fields: YAMLFields) throws(ConfigError) -> TLSServerConfig {
        guard let certFile = try fields.nonEmptyString("cert_file"), let keyFile = try fields.nonEmptyString("key_file") else {
            throw fields.error(nil, "cert_file and key_file are both required")
        }
        let authText = try fields.nonEmptyString("client_auth_type") ?? TLSServerConfig.ClientAuth.none.rawValue
        guard let clientAuth = TLSServerConfig.ClientAuth(rawValue: authText) else {
            throw fields.error("client_auth_type", "\(authText) is not supported; use NoClientCert or RequireAndVerifyClientCert")
        }
        let clientCAFile = try fields.nonEmptyString("client_ca_file")
        if clientAuth == .requireAndVerify && clientCAFile == nil {
            throw fields.error(nil, "client_auth_type RequireAndVerifyClientCert needs client_ca_file")
        }
        func version(_ key: String) throws(ConfigError) -> TLSServerConfig.Version? {
            guard let text = try fields.nonEmptyString(key) else { return nil }
            guard let version = TLSServerConfig.Version(rawValue: text) else {
                throw fields.error(key, "\(text) is not supported; use TLS12 or TLS13")
            }
            return version
        }
        let minVersion = try version("min_version") ?? .tls12
        let maxVersion = try version("max_version")
        if let maxVersion, maxVersion < minVersion {
            throw fields.error(nil, "max_version \(maxVersion.rawValue) is older than min_version \(minVersion.rawValue)")
        }
        return TLSServerConfig(certFile: certFile, keyFile: keyFile, clientAuth: clientAuth, clientCAFile: clientCAFile,
                               minVersion: minVersion, maxVersion: maxVersion)
    }

    private static func basicAuthUsers(_ fields: YAMLFields) throws(ConfigError) -> [String: String] {
        var users: [String: String] = [:]
        for (user, value, _) in fields.entries {
            guard !user.isEmpty, user != "?", !user.contains(":") else {
                throw fields.error(nil, "user names must be non-empty and must not contain ':'")
            }
            // Never echo the value: it is a password hash.
            guard let hash = value.string, BcryptHash.isWellFormed(hash) else {
                throw fields.error(user, "expected a bcrypt hash ($2a$, $2b$ or $2y$, e.g. from htpasswd -nBC 10)")
            }
            users[user] = hash
        }
        return users
    }

    private static func headers(_ fields: YAMLFields) throws(ConfigError) -> [(name: String, value: String)] {
        guard let headers = try fields.fields("headers", allowed: nil, expected: "a mapping of name: value") else { return [] }
        var result: [(name: String, value: String)] = []
        for (name, value, _) in headers.entries {
            guard let canonical = allowedHeaders.first(where: { $0.lowercased() == name.lowercased() }) else {
                throw headers.error(nil, "\(name) cannot be set; allowed: \(allowedHeaders.sorted().joined(separator: ", "))")
            }
            guard let text = value.string, !text.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw headers.error(name, "expected a single-line string")
            }
            result.append((canonical, text))
        }
        return result.sorted { $0.name < $1.name }
    }
}
