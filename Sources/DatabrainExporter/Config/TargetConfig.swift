import FoundationEssentials

/// Where a target's service token comes from.
public enum TokenSourceConfig: Sendable, Equatable {
    /// A file, re-read before every poll (so a rotated Kubernetes secret takes effect).
    case file(String)
    /// A value taken from the environment (`DATABRAIN_TOKEN`) at start-up.
    case value(String)
}

/// One Databrain organisation to watch.
public struct TargetConfig: Sendable, Equatable {
    /// The `target` label value.
    public var name: String
    /// Base URL of the API.
    public var url: String
    /// Where the token comes from.
    public var token: TokenSourceConfig
    /// Walk the pages with `isPagination=true`.
    public var paginate: Bool
    /// Upper bound on pages per poll.
    public var maxPages: Int
    /// Time between polls.
    public var interval: Duration
    /// Per-request timeout; must be shorter than the interval.
    public var timeout: Duration
    /// Response body cap in bytes.
    public var maxBodyBytes: Int
    /// CA bundle to trust instead of the system's.
    public var caFile: String?
    /// Skip TLS verification (loudly warned about).
    public var insecureSkipVerify: Bool
    /// Probe Databrain's `/health/live` and `/health/ready` after each poll (no token sent; rounds
    /// are shared by the targets of one instance, ``HealthProbeCache``).
    public var health: Bool
    /// Put before `/health/...`: `/api` where the backend is mounted under a prefix.
    public var healthPathPrefix: String
    /// The collectors each poll runs, in run order; the required one always among them.
    public var collectors: [CollectorName]
    /// Each collector's own settings (``CollectorSetting``), by collector and key: `NAME_url:`
    /// in a target is `[NAME: ["url": …]]`.
    public var collectorSettings: [CollectorName: [String: String]] = [:]

    /// Settings given for collectors this target does not run, by collector: they would silently
    /// do nothing, so both the file and the flags refuse them (each naming its own way to fix it).
    public var settingsOfCollectorsOff: [(collector: CollectorName, settings: [CollectorSetting])] {
        collectorSettings.keys.sorted().filter { !collectors.contains($0) }.map { collector in
            (collector, collector.settings.filter { collectorSettings[collector]?[$0.key] != nil })
        }
    }

    /// Defaults shared by flags and the config file.
    public enum Defaults {
        /// Databrain's cloud API.
        public static let url = "https://api.usedatabrain.com"
        /// `--poll.interval`.
        public static let interval: Duration = .seconds(60)
        /// `--poll.timeout`.
        public static let timeout: Duration = .seconds(10)
        /// `--databrain.max-pages`.
        public static let maxPages = 1000
        /// `--databrain.max-body-bytes`: 16 MiB.
        public static let maxBodyBytes = 16 << 20
        /// `--databrain.paginate`: off, one request for the whole list.
        public static let paginate = false
        /// `--[no-]databrain.health`: probe the health endpoints with each poll.
        public static let health = true
        /// `--databrain.health-path-prefix`: none.
        public static let healthPathPrefix = ""
    }

    /// Creates a target.
    public init(
        name: String, url: String, token: TokenSourceConfig, paginate: Bool = Defaults.paginate,
        maxPages: Int = Defaults.maxPages, interval: Duration = Defaults.interval,
        timeout: Duration = Defaults.timeout, maxBodyBytes: Int = Defaults.maxBodyBytes,
        caFile: String? = nil, insecureSkipVerify: Bool = false, health: Bool = Defaults.health, healthPathPrefix: String = Defaults.healthPathPrefix,
        collectors: [CollectorName] = CollectorName.defaults
    ) {
        self.name = name
        self.url = url
        self.token = token
        self.paginate = paginate
        self.maxPages = maxPages
        self.interval = interval
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
        self.health = health
        self.healthPathPrefix = healthPathPrefix
        self.collectors = Array(Set(collectors)).sorted()
    }

    /// The default target name: the URL's host (and port, when one is given).
    public static func defaultName(for url: String) -> String {
        guard let parsed = URL(string: url), let host = parsed.host() else { return url }
        return parsed.port.map { "\(host):\($0)" } ?? host
    }

    /// The URL with any `user:password@` removed, for display.
    public var displayURL: String {
        guard var components = URLComponents(string: url) else { return "(invalid URL)" }
        components.user = nil
        components.password = nil
        return components.string ?? "(invalid URL)"
    }

    /// Checks everything that can be checked without touching the network.
    public func validate() throws(ConfigError) {
        let subject = "target \"\(name)\""
        guard !name.isEmpty else { throw ConfigError("a target has an empty name: give every target a name") }
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parsed.host(), !host.isEmpty
        else {
            throw ConfigError("\(subject): invalid url \"\(displayURL)\": use http(s)://host[:port], e.g. https://api.usedatabrain.com")
        }
        guard parsed.query == nil, parsed.fragment == nil else {
            throw ConfigError("\(subject): url must be the base URL without query or fragment (the exporter adds /api/v2/datasource)")
        }
        guard interval > .zero else { throw ConfigError("\(subject): interval must be positive") }
        guard timeout > .zero else { throw ConfigError("\(subject): timeout must be positive") }
        guard timeout < interval else {
            throw ConfigError("\(subject): timeout \(GoDuration.format(timeout)) must be shorter than interval \(GoDuration.format(interval)); lower --poll.timeout or raise --poll.interval")
        }
        guard maxPages >= 1 else { throw ConfigError("\(subject): max pages must be at least 1") }
        guard maxBodyBytes >= 1024 else { throw ConfigError("\(subject): max body bytes must be at least 1024") }
        switch token {
        case .value(let value) where value.isEmpty:
            throw ConfigError("\(subject): DATABRAIN_TOKEN is empty: set it, or use --databrain.token-file")
        case .file(let path):
            // Read it once now so a typo fails at start-up, not at the first poll.
            if case .failure(let failure) = TokenSource.file(path).read() { throw ConfigError("\(subject): \(failure.summary)") }
        default:
            break
        }
        guard healthPathPrefix.isEmpty || (healthPathPrefix.hasPrefix("/") && !healthPathPrefix.contains(where: { "?# ".contains($0) })) else {
            throw ConfigError("\(subject): invalid health path prefix \"\(healthPathPrefix)\": use a path such as /api (or nothing)")
        }
        guard collectors.contains(.required) else {
            throw ConfigError("\(subject): the \(CollectorName.required) collector cannot be turned off: it is what databrain_up reports (list it under collectors:)")
        }
        for collector in collectors {
            for setting in collector.settings {
                switch collectorSettings[collector]?[setting.key] {
                case nil where setting.required:
                    throw ConfigError("\(subject): the \(collector) collector needs \(setting.configKey(of: collector)): (or \(setting.flag(of: collector)) for every target): \(setting.help)")
                case let value? where setting.validate(value) != nil:
                    throw ConfigError("\(subject): \(setting.configKey(of: collector)): \(setting.validate(value) ?? "")")
                default:
                    break
                }
            }
        }
        if let caFile, !FileSystem.isReadable(caFile) {
            throw ConfigError("\(subject): cannot read CA file \(caFile): check the path and permissions")
        }
    }
}
