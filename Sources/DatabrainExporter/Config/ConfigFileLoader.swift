import Yams

/// Reads the `--config.file` YAML into an ``ExporterConfig``.
///
/// ```yaml
/// targets:
///   - name: production            # the target label; default: the URL's host
///     url: https://api.usedatabrain.com
///     token_file: /var/run/secrets/databrain/token
///     paginate: true
///     interval: 60s               # default: --poll.interval
///     timeout: 10s                # default: --poll.timeout
/// ```
/// Unknown keys are errors: a misspelt `intreval` must not silently fall back to the default.
public enum ConfigFileLoader {
    static let topLevelKeys: Set<String> = ["targets"]
    static let targetKeys: Set<String> = [
        "name", "url", "token_file", "paginate", "max_pages", "interval", "timeout",
        "max_body_bytes", "ca_file", "insecure_skip_verify",
    ]

    /// Loads and validates the file. `defaults` supplies every field a target leaves out.
    public static func load(path: String, defaults: TargetConfig) throws(ConfigError) -> ExporterConfig {
        let text: String
        switch FileSystem.readSmallFile(path, limit: 1 << 20) {
        case .success(let bytes): text = String(decoding: bytes, as: UTF8.self)
        case .failure(let error): throw ConfigError("cannot read config file \(path): \(error.message)")
        }
        let config = try parse(yaml: text, source: path, defaults: defaults)
        try config.validate()
        return config
    }

    /// Parses YAML text without validating the targets (no file system access).
    public static func parse(yaml: String, source: String, defaults: TargetConfig) throws(ConfigError) -> ExporterConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigError("invalid YAML in \(source): \(oneLine(String(describing: error)))")
        }
        guard let root, let mapping = root.mapping else {
            throw ConfigError("\(source): expected a mapping with a targets: list")
        }
        try rejectUnknownKeys(mapping, allowed: topLevelKeys, at: "\(source) top level")
        guard let list = root["targets"]?.sequence else {
            throw ConfigError("\(source): targets: must be a list of targets")
        }
        var targets: [TargetConfig] = []
        for (index, node) in list.enumerated() {
            targets.append(try target(from: node, index: index, source: source, defaults: defaults))
        }
        return ExporterConfig(targets: targets)
    }

    private static func target(from node: Node, index: Int, source: String, defaults: TargetConfig) throws(ConfigError) -> TargetConfig {
        let place = "\(source) targets[\(index)]"
        guard let mapping = node.mapping else { throw ConfigError("\(place): each target must be a mapping") }
        try rejectUnknownKeys(mapping, allowed: targetKeys, at: place)

        func string(_ key: String) throws(ConfigError) -> String? {
            guard let value = node[key] else { return nil }
            guard let text = value.string else { throw ConfigError("\(place).\(key): expected a string") }
            return text
        }
        func bool(_ key: String) throws(ConfigError) -> Bool? {
            guard let value = node[key] else { return nil }
            guard let flag = value.bool else { throw ConfigError("\(place).\(key): expected true or false") }
            return flag
        }
        func int(_ key: String) throws(ConfigError) -> Int? {
            guard let value = node[key] else { return nil }
            guard let number = value.int else { throw ConfigError("\(place).\(key): expected a whole number") }
            return number
        }
        func duration(_ key: String) throws(ConfigError) -> Duration? {
            guard let text = try string(key) else { return nil }
            do { return try GoDuration.parse(text) } catch { throw ConfigError("\(place).\(key): \(error.message)") }
        }

        var target = defaults
        target.url = try string("url") ?? defaults.url
        target.name = try string("name") ?? TargetConfig.defaultName(for: target.url)
        if let path = try string("token_file") { target.token = .file(path) }
        target.paginate = try bool("paginate") ?? defaults.paginate
        target.maxPages = try int("max_pages") ?? defaults.maxPages
        target.interval = try duration("interval") ?? defaults.interval
        target.timeout = try duration("timeout") ?? defaults.timeout
        target.maxBodyBytes = try int("max_body_bytes") ?? defaults.maxBodyBytes
        target.caFile = try string("ca_file") ?? defaults.caFile
        target.insecureSkipVerify = try bool("insecure_skip_verify") ?? defaults.insecureSkipVerify
        return target
    }

    static func rejectUnknownKeys(_ mapping: Node.Mapping, allowed: Set<String>, at place: String) throws(ConfigError) {
        for (key, _) in mapping {
            let name = key.string ?? "?"
            guard allowed.contains(name) else {
                throw ConfigError("\(place): unknown key \"\(name)\" (known: \(allowed.sorted().joined(separator: ", ")))")
            }
        }
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.joined(separator: " ")
    }
}
