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

    static var current: Environment {
        func read(_ name: String) -> String? { getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        return Environment(url: read("DATABRAIN_URL"), tokenFile: read("DATABRAIN_TOKEN_FILE"), token: read("DATABRAIN_TOKEN"))
    }
}

/// Turns flags and environment into an ``ExporterConfig``: one target from flags, or the config file's
/// targets with the flags as their defaults.
struct CommandLineSettings: Sendable {
    let url: String
    let token: TokenSourceConfig?
    let targetName: String?
    let paginate: Bool
    let maxPages: Int
    let maxBodyBytes: Int
    let caFile: String?
    let insecureSkipVerify: Bool
    let interval: String
    let timeout: String
    let configFile: String?
    let health: Bool
    let healthPathPrefix: String

    init(command: ExporterCommand, environment: Environment) {
        url = command.url ?? environment.url ?? TargetConfig.Defaults.url
        // A file beats an inline token: it can rotate.
        if let file = command.tokenFile ?? environment.tokenFile {
            token = .file(file)
        } else {
            token = environment.token.map { .value($0) }
        }
        targetName = command.targetName
        paginate = command.paginate
        maxPages = command.maxPages
        maxBodyBytes = command.maxBodyBytes
        caFile = command.caFile
        insecureSkipVerify = command.insecureSkipVerify
        interval = command.interval
        timeout = command.timeout
        configFile = command.configFile
        health = command.health
        healthPathPrefix = command.healthPathPrefix
    }

    /// Reads (and for a file, re-reads) the configuration and validates it.
    func loadConfig() throws -> ExporterConfig {
        let defaults = try defaultTarget()
        if let configFile {
            return try ConfigFileLoader.load(path: configFile, defaults: defaults)
        }
        guard token != nil else {
            throw ConfigError("no service token: set --databrain.token-file (or DATABRAIN_TOKEN_FILE) or the DATABRAIN_TOKEN environment variable")
        }
        let config = ExporterConfig(targets: [defaults])
        try config.validate()
        return config
    }

    private func defaultTarget() throws -> TargetConfig {
        let intervalValue: Duration
        let timeoutValue: Duration
        do { intervalValue = try GoDuration.parse(interval) } catch { throw ConfigError("--poll.interval: \(error.message)") }
        do { timeoutValue = try GoDuration.parse(timeout) } catch { throw ConfigError("--poll.timeout: \(error.message)") }
        return TargetConfig(
            name: targetName ?? TargetConfig.defaultName(for: url), url: url,
            // Config-file targets without token_file fall back to this; validation catches an empty one.
            token: token ?? .value(""), paginate: paginate, maxPages: maxPages,
            interval: intervalValue, timeout: timeoutValue, maxBodyBytes: maxBodyBytes,
            caFile: caFile, insecureSkipVerify: insecureSkipVerify, health: health, healthPathPrefix: healthPathPrefix)
    }
}
