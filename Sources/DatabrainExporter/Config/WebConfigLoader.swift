/// Reads and checks `--web.config.file` (see ``WebConfig``) as exporter-toolkit reads it: the same
/// keys, defaults, names and refusals, relative paths resolved against the file's directory.
/// Every problem is one line naming the file, the line and the key; unknown keys are errors, and
/// the one option this exporter does not implement (`rate_limit` with an interval) is refused, so a
/// setting is never silently ignored.
public enum WebConfigLoader {
    static let topLevelKeys: Set<String> = ["tls_server_config", "basic_auth_users", "http_server_config", "rate_limit"]
    static let tlsKeys: Set<String> = [
        "cert", "key", "client_ca", "cert_file", "key_file", "client_auth_type", "client_ca_file", "cipher_suites",
        "curve_preferences", "min_version", "max_version", "prefer_server_cipher_suites", "client_allowed_sans",
    ]
    static let httpKeys: Set<String> = ["headers", "http2"]
    static let rateLimitKeys: Set<String> = ["interval", "burst"]
    /// The headers exporter-toolkit lets a web config set, with the values it allows (nil: any).
    static let allowedHeaders: [String: [String]?] = [
        "Strict-Transport-Security": nil, "X-Content-Type-Options": ["nosniff"], "X-Frame-Options": ["deny", "sameorigin"],
        "X-XSS-Protection": nil, "Content-Security-Policy": nil,
    ]

    /// Reads and parses the file. Whether its TLS files are usable is for ``TLSContextFactory``,
    /// which start-up and `--config.check` both run.
    public static func load(path: String) throws(ConfigError) -> WebConfig {
        let text: String
        switch FileSystem.readSmallFile(path, limit: 1 << 20) {
        case .success(let bytes): text = String(decoding: bytes, as: UTF8.self)
        case .failure(let error): throw ConfigError("cannot read web config file \(path): \(error.message)")
        }
        return try parse(yaml: text, source: path)
    }

    /// Parses YAML text; relative TLS paths are resolved against `source`'s directory.
    public static func parse(yaml: String, source: String) throws(ConfigError) -> WebConfig {
        // An empty file: plain HTTP, no auth.
        guard let root = try YAMLFields.document(yaml, source: source, allowed: topLevelKeys) else { return WebConfig() }
        var config = WebConfig()
        if let http = try root.fields("http_server_config", allowed: httpKeys) {
            config.headers = try headers(http)
            config.http2 = try http.bool("http2") ?? true
        }
        if let tls = try root.fields("tls_server_config", allowed: tlsKeys) {
            config.tls = try tlsConfig(tls, directory: directory(of: source), http2: config.http2)
        }
        if let users = try root.fields("basic_auth_users", allowed: nil, expected: "a mapping of user: bcrypt hash") {
            config.basicAuthUsers = try basicAuthUsers(users)
        }
        if let limit = try root.fields("rate_limit", allowed: rateLimitKeys) {
            // exporter-toolkit turns its limiter off for a zero interval; anything else is refused.
            if let interval = try limit.duration("interval"), interval > .zero {
                throw limit.error("interval", "rate_limit is not supported; limit scrapes with --web.max-requests (answers 503 past it)")
            }
            _ = try limit.int("burst")
        }
        return config
    }

    /// exporter-toolkit's `TLSConfig.IsEnabled`: any certificate, key, client CA or client auth
    /// type means TLS. Other keys alone would be ignored by it; they are refused here.
    private static func tlsConfig(_ fields: YAMLFields, directory: String, http2: Bool) throws(ConfigError) -> TLSServerConfig? {
        let enabling = ["cert", "key", "client_ca", "cert_file", "key_file", "client_ca_file", "client_auth_type"]
        var enabled = false
        for key in enabling where !(try fields.string(key) ?? "").isEmpty { enabled = true }
        guard enabled else {
            if let stray = fields.entries.first(where: { !$0.value.isNull }) {
                throw fields.error(stray.key, "is set but tls_server_config has no certificate; add cert_file and key_file, or remove tls_server_config for plain HTTP")
            }
            return nil  // `tls_server_config: {}`, as in exporter-toolkit: plain HTTP
        }
        func source(file fileKey: String, inline inlineKey: String) throws(ConfigError) -> PEMSource? {
            let file = try fields.string(fileKey).flatMap { $0.isEmpty ? nil : $0 }
            let inline = try fields.string(inlineKey).flatMap { $0.isEmpty ? nil : $0 }
            switch (file, inline) {
            case (.some, .some): throw fields.error(inlineKey, "set \(fileKey) or \(inlineKey), not both")
            case (.some(let path), nil): return .file(resolve(path, against: directory))
            case (nil, .some(let text)): return .inline(text)
            case (nil, nil): return nil
            }
        }
        guard let certificate = try source(file: "cert_file", inline: "cert") else { throw fields.error(nil, "missing one of cert or cert_file") }
        guard let key = try source(file: "key_file", inline: "key") else { throw fields.error(nil, "missing one of key or key_file") }
        let clientCA = try source(file: "client_ca_file", inline: "client_ca")

        var authText = try fields.string("client_auth_type") ?? ""
        if authText.isEmpty { authText = TLSServerConfig.ClientAuth.none.rawValue }
        if authText == "RequireClientCert" { authText = TLSServerConfig.ClientAuth.requireAny.rawValue }  // exporter-toolkit's old name
        guard let clientAuth = TLSServerConfig.ClientAuth(rawValue: authText) else {
            throw fields.error("client_auth_type", "invalid ClientAuth: \(authText) (use one of \(TLSServerConfig.ClientAuth.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if clientCA != nil && clientAuth == .none {
            // exporter-toolkit's refusal, word for word: nobody should believe mTLS is on when it is not.
            throw fields.error("client_auth_type", "client CA's have been configured without a Client Auth Policy; set client_auth_type (e.g. RequireAndVerifyClientCert)")
        }

        func version(_ key: String) throws(ConfigError) -> TLSServerConfig.Version? {
            guard let text = try fields.nonEmptyString(key) else { return nil }
            guard let version = TLSServerConfig.Version(rawValue: text) else {
                throw fields.error(key, "unknown TLS version: \(text) (use TLS10, TLS11, TLS12 or TLS13)")
            }
            return version
        }
        let minVersion = try version("min_version") ?? .tls12
        let maxVersion = try version("max_version")
        if let maxVersion, maxVersion < minVersion {
            throw fields.error("max_version", "\(maxVersion.rawValue) is older than min_version \(minVersion.rawValue): no TLS version could be agreed")
        }

        let cipherNames = try strings(fields, "cipher_suites")
        var cipherSuites: [TLSCipherSuite]?
        if let cipherNames, !cipherNames.isEmpty {
            cipherSuites = try cipherNames.map { (name) throws(ConfigError) -> TLSCipherSuite in
                guard let suite = TLSCipherSuite.named(name) else { throw fields.error("cipher_suites", "unknown cipher: \(name)") }
                return suite
            }
        }
        // Go's HTTP server refuses restricted TLS 1.2 suites without HTTP/2's mandatory one.
        if http2, minVersion < .tls13, let cipherSuites, !cipherSuites.contains(where: { TLSCipherSuite.http2Required.contains($0.name) }) {
            throw fields.error("cipher_suites", "http2: TLSConfig.CipherSuites is missing an HTTP/2-required AES_128_GCM_SHA256 cipher "
                + "(add TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, or set http_server_config.http2: false)")
        }
        var curves: [TLSCurve]?
        if let curveNames = try strings(fields, "curve_preferences"), !curveNames.isEmpty {
            curves = try curveNames.map { (name) throws(ConfigError) -> TLSCurve in
                guard let curve = TLSCurve.named(name) else { throw fields.error("curve_preferences", "unknown curve: \(name)") }
                return curve
            }
        }
        return TLSServerConfig(
            certificate: certificate, key: key, clientAuth: clientAuth, clientCA: clientCA, minVersion: minVersion, maxVersion: maxVersion,
            cipherSuites: cipherSuites, preferServerCipherSuites: try fields.bool("prefer_server_cipher_suites") ?? true,
            curvePreferences: curves, clientAllowedSANs: try strings(fields, "client_allowed_sans"))
    }

    private static func strings(_ fields: YAMLFields, _ key: String) throws(ConfigError) -> [String]? {
        guard let items = try fields.sequence(key, expected: "a list of strings") else { return nil }
        return try items.map { (item) throws(ConfigError) -> String in
            guard let text = item.string else { throw fields.error(key, "must be a list of strings") }
            return text
        }
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

    /// exporter-toolkit's `validateHeaderConfig`: only these names, and the enumerated values of
    /// X-Content-Type-Options and X-Frame-Options.
    private static func headers(_ fields: YAMLFields) throws(ConfigError) -> [(name: String, value: String)] {
        guard let headers = try fields.fields("headers", allowed: nil, expected: "a mapping of name: value") else { return [] }
        var result: [(name: String, value: String)] = []
        for (name, value, _) in headers.entries {
            guard let allowedValues = allowedHeaders[name] else {
                throw headers.error(nil, "HTTP header \"\(name)\" can not be configured; allowed: \(allowedHeaders.keys.sorted().joined(separator: ", "))")
            }
            guard let text = value.string, !text.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw headers.error(name, "expected a single-line string")
            }
            if let allowedValues, !allowedValues.contains(text) {
                throw headers.error(name, "invalid value for \(name). Expected one of: \(allowedValues.map { "\"\($0)\"" }.joined(separator: ", ")), but got: \"\(text)\"")
            }
            result.append((name, text))
        }
        return result.sorted { $0.name < $1.name }
    }

    /// The directory of `path` (`.` for a bare file name), as Go's `filepath.Dir`.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// exporter-toolkit's `JoinDir`: absolute paths stay, relative ones are taken from `directory`.
    static func resolve(_ path: String, against directory: String) -> String {
        path.hasPrefix("/") || directory == "." ? path : directory + "/" + path
    }
}
