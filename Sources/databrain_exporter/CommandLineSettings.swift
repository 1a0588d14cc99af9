import DatabrainExporter

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The environment variables the exporter reads, captured once.
struct Environment: Sendable {
    var url: String?
    var tokenFile: String?
    var token: String?
    /// `DATABRAIN_SHARD`: this replica's shard, as a StatefulSet passes its pod index.
    var shard: String?

    static var current: Environment {
        func read(_ name: String) -> String? { getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        return Environment(url: read("DATABRAIN_URL"), tokenFile: read("DATABRAIN_TOKEN_FILE"), token: read("DATABRAIN_TOKEN"),
                           shard: read("DATABRAIN_SHARD"))
    }
}

/// Turns flags and environment into an ``ExporterConfig``: one target from flags, or the config
/// file's targets with the flags' target as their defaults. Problems here are configuration
/// problems (exit 1); flag values were checked while parsing (exit 2).
struct CommandLineSettings: Sendable {
    /// The flags' target: the only one without a config file, every target's defaults with one.
    let defaults: TargetConfig
    /// Whether a token file or `DATABRAIN_TOKEN` was given.
    let hasToken: Bool
    let configFile: String?
    /// Which of the configured targets this replica polls.
    let sharding: Sharding
    /// `--databrain.requests-per-minute`: every origin's budget unless the file names it.
    let requestsPerMinute: Int

    init(target: TargetOptions, collectors: CollectorOptions.Choice, configFile: String?, sharding: Sharding, environment: Environment) {
        var (defaults, hasToken) = target.target(environment: environment)
        defaults.collectors = collectors.enabled
        defaults.collectorSettings = collectors.settings
        (self.defaults, self.hasToken) = (defaults, hasToken)
        self.configFile = configFile
        self.sharding = sharding
        self.requestsPerMinute = target.requestsPerMinute
    }

    /// The configuration, validated whole, with only this replica's targets (what it polls).
    func loadOwnedConfig() throws -> ExporterConfig {
        try loadConfig().owned(by: sharding)
    }

    /// Reads (and for a file, re-reads) the configuration of every shard and validates it.
    func loadConfig() throws -> ExporterConfig {
        var config: ExporterConfig
        if let configFile {
            config = try ConfigFileLoader.load(path: configFile, defaults: defaults)
        } else {
            guard hasToken else {
                throw ConfigError("no service token: set --databrain.token-file (or DATABRAIN_TOKEN_FILE) or the DATABRAIN_TOKEN environment variable")
            }
            if let (collector, settings) = defaults.settingsOfCollectorsOff.first {
                let flags = settings.map { $0.flag(of: collector) }.joined(separator: ", ")
                throw ConfigError("\(flags): the \(collector) collector is off: add --collector.\(collector)")
            }
            config = ExporterConfig(targets: [defaults])
        }
        config.requestsPerMinute = requestsPerMinute
        try config.validate()
        return config
    }
}
