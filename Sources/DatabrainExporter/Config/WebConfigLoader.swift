import Yams

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
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigError("invalid YAML in \(source): \(ConfigFileLoader.oneLine(String(describing: error)))")
        }
        guard let root else { return WebConfig() }  // an empty file: plain HTTP, no auth
        guard let mapping = root.mapping else { throw ConfigError("\(source): expected a mapping") }
        try ConfigFileLoader.rejectUnknownKeys(mapping, allowed: topLevelKeys, at: "\(source) top level")
        var config = WebConfig()
        if let tls = root["tls_server_config"] { config.tls = try tlsConfig(tls, source: source) }
        if let users = root["basic_auth_users"] { config.basicAuthUsers = try basicAuthUsers(users, source: source) }
        if let http = root["http_server_config"] { config.headers = try headers(http, source: source) }
        return config
    }

    private static func tlsConfig(_ node: Node, source: String) throws(ConfigError) -> TLSServerConfig {
        let place = "\(source) tls_server_config"
        guard let mapping = node.mapping else { throw ConfigError("\(place): expected a mapping") }
        try ConfigFileLoader.rejectUnknownKeys(mapping, allowed: tlsKeys, at: place)
        func string(_ key: String) throws(ConfigError) -> String? {
            guard let value = node[key] else { return nil }
            guard let text = value.string, !text.isEmpty else { throw ConfigError("\(place).\(key): expected a non-empty string") }
            return text
        }
        guard let certFile = try string("cert_file"), let keyFile = try string("key_file") else {
            throw ConfigError("\(place): cert_file and key_file are both required")
        }
        let authText = try string("client_auth_type") ?? TLSServerConfig.ClientAuth.none.rawValue
        guard let clientAuth = TLSServerConfig.ClientAuth(rawValue: authText) else {
            throw ConfigError("\(place).client_auth_type: \(authText) is not supported; use NoClientCert or RequireAndVerifyClientCert")
        }
        let clientCAFile = try string("client_ca_file")
        if clientAuth == .requireAndVerify && clientCAFile == nil {
            throw ConfigError("\(place): client_auth_type RequireAndVerifyClientCert needs client_ca_file")
        }
        func version(_ key: String) throws(ConfigError) -> TLSServerConfig.Version? {
            guard let text = try string(key) else { return nil }
            guard let version = TLSServerConfig.Version(rawValue: text) else {
                throw ConfigError("\(place).\(key): \(text) is not supported; use TLS12 or TLS13")
            }
            return version
        }
        let minVersion = try version("min_version") ?? .tls12
        let maxVersion = try version("max_version")
        if let maxVersion, maxVersion < minVersion {
            throw ConfigError("\(place): max_version \(maxVersion.rawValue) is older than min_version \(minVersion.rawValue)")
        }
        return TLSServerConfig(certFile: certFile, keyFile: keyFile, clientAuth: clientAuth, clientCAFile: clientCAFile,
                               minVersion: minVersion, maxVersion: maxVersion)
    }

    private static func basicAuthUsers(_ node: Node, source: String) throws(ConfigError) -> [String: String] {
        let place = "\(source) basic_auth_users"
        guard let mapping = node.mapping else { throw ConfigError("\(place): expected a mapping of user: bcrypt hash") }
        var users: [String: String] = [:]
        for (key, value) in mapping {
            guard let user = key.string, !user.isEmpty, !user.contains(":") else {
                throw ConfigError("\(place): user names must be non-empty and must not contain ':'")
            }
            // Never echo the value: it is a password hash.
            guard let hash = value.string, BcryptHash.isWellFormed(hash) else {
                throw ConfigError("\(place).\(user): expected a bcrypt hash ($2a$, $2b$ or $2y$, e.g. from htpasswd -nBC 10)")
            }
            users[user] = hash
        }
        return users
    }

    private static func headers(_ node: Node, source: String) throws(ConfigError) -> [(name: String, value: String)] {
        let place = "\(source) http_server_config"
        guard let mapping = node.mapping else { throw ConfigError("\(place): expected a mapping") }
        try ConfigFileLoader.rejectUnknownKeys(mapping, allowed: httpKeys, at: place)
        guard let headers = node["headers"] else { return [] }
        guard let headerMapping = headers.mapping else { throw ConfigError("\(place).headers: expected a mapping of name: value") }
        var result: [(name: String, value: String)] = []
        for (key, value) in headerMapping {
            guard let name = key.string, let canonical = allowedHeaders.first(where: { $0.lowercased() == name.lowercased() }) else {
                throw ConfigError("\(place).headers: \(key.string ?? "?") cannot be set; allowed: \(allowedHeaders.sorted().joined(separator: ", "))")
            }
            guard let text = value.string, !text.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw ConfigError("\(place).headers.\(name): expected a single-line string")
            }
            result.append((canonical, text))
        }
        return result.sorted { $0.name < $1.name }
    }
}
