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
/// origins:                        # optional: budgets other than --databrain.requests-per-minute
///   - url: https://databrain.internal.example.com
///     requests_per_minute: 400
/// ```
/// Unknown keys are errors: a misspelt `intreval` must not silently fall back to the default.
public enum ConfigFileLoader {
    static let topLevelKeys: Set<String> = ["targets", "origins"]
    static let originKeys: Set<String> = ["url", "requests_per_minute"]
    /// A target's keys, and each collector's settings (`NAME_url`).
    static var targetKeys: Set<String> {
        Set(["name", "url", "token_file", "paginate", "max_pages", "interval", "timeout",
             "max_body_bytes", "ca_file", "insecure_skip_verify", "health", "health_path_prefix", "collectors"])
            .union(CollectorName.allCases.flatMap { collector in collector.settings.map { $0.configKey(of: collector) } })
    }

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
        let expected = "a mapping with a targets: list"
        guard let root = try YAMLFields.document(yaml, source: source, allowed: topLevelKeys, expected: expected) else {
            throw ConfigError("\(source): expected \(expected)")
        }
        guard let list = try root.sequence("targets", expected: "a list of targets") else {
            throw root.error(nil, "expected a targets: list")
        }
        var targets: [TargetConfig] = []
        for (index, node) in list.enumerated() {
            let fields = try YAMLFields(node, source: source, place: "targets[\(index)]", allowed: targetKeys, expected: "each target to be a mapping")
            targets.append(try target(from: fields, defaults: defaults))
        }
        var config = ExporterConfig(targets: targets)
        for (index, node) in (try root.sequence("origins", expected: "a list of origins") ?? []).enumerated() {
            let fields = try YAMLFields(node, source: source, place: "origins[\(index)]", allowed: originKeys, expected: "each origin to be a mapping")
            guard let url = try fields.nonEmptyString("url"), let origin = SameOrigin.origin(of: url) else {
                throw fields.error("url", "expected the origin's URL, e.g. https://databrain.example.com")
            }
            guard let budget = try fields.int("requests_per_minute"), budget >= 1 else {
                throw fields.error("requests_per_minute", "expected a whole number of at least 1")
            }
            guard config.originBudgets.updateValue(budget, forKey: origin) == nil else {
                throw fields.error("url", "\(origin) has a budget already; keep one")
            }
        }
        return config
    }

    private static func target(from fields: YAMLFields, defaults: TargetConfig) throws(ConfigError) -> TargetConfig {
        var target = defaults
        target.url = try fields.string("url") ?? defaults.url
        target.name = try fields.string("name") ?? TargetConfig.defaultName(for: target.url)
        if let path = try fields.string("token_file") { target.token = .file(path) }
        target.paginate = try fields.bool("paginate") ?? defaults.paginate
        target.maxPages = try fields.int("max_pages") ?? defaults.maxPages
        target.interval = try fields.duration("interval") ?? defaults.interval
        target.timeout = try fields.duration("timeout") ?? defaults.timeout
        target.maxBodyBytes = try fields.int("max_body_bytes") ?? defaults.maxBodyBytes
        target.caFile = try fields.string("ca_file") ?? defaults.caFile
        target.insecureSkipVerify = try fields.bool("insecure_skip_verify") ?? defaults.insecureSkipVerify
        target.health = try fields.bool("health") ?? defaults.health
        target.healthPathPrefix = try fields.string("health_path_prefix") ?? defaults.healthPathPrefix
        if let list = try fields.sequence("collectors", expected: "a list of collector names") {
            // The exact set for this target; the flags give only the default.
            var names: [CollectorName] = []
            for item in list {
                guard let text = item.string, let name = CollectorName(rawValue: text) else {
                    throw fields.error("collectors", "unknown collector \"\(item.string ?? "?")\" (known: \(CollectorName.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                names.append(name)
            }
            guard !names.isEmpty else { throw fields.error("collectors", "an empty list turns off the \(CollectorName.required) collector, which databrain_up reports") }
            target.collectors = Array(Set(names)).sorted()
        }
        for collector in CollectorName.allCases {
            for setting in collector.settings {
                guard let value = try fields.string(setting.configKey(of: collector)) else { continue }
                target.collectorSettings[collector, default: [:]][setting.key] = value
            }
        }
        if let (collector, settings) = target.settingsOfCollectorsOff.first, let setting = settings.first {
            throw fields.error(setting.configKey(of: collector), "the \(collector) collector is off for this target: add \(collector) to its collectors: (or --collector.\(collector))")
        }
        return target
    }
}
