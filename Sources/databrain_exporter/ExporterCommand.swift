import ArgumentParser
import DatabrainExporter
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `databrain_exporter`: flags in exporter-toolkit style, then hand over to ExporterApplication.
@main
struct ExporterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "databrain_exporter",
        abstract: "Prometheus exporter for Databrain's datasource API.",
        discussion: """
            The service token comes from --databrain.token-file (re-read before every poll, so a rotated \
            Kubernetes secret takes effect) or the DATABRAIN_TOKEN environment variable. It is never a \
            flag: flags show up in ps.

            \(CollectorOptions.helpText)
            """,
        version: BuildInfo.versionLine)

    @OptionGroup(title: "Databrain target")
    var target: TargetOptions

    @OptionGroup(title: "Collectors")
    var collectors: CollectorOptions

    @Option(name: .customLong("config.file"), help: "YAML file with several targets (see docs/configuration.md); the --databrain.* and --poll.* flags are their defaults.")
    var configFile: String?

    @Flag(name: .customLong("config.check"), help: "Validate the configuration and token files, print each shard's targets, then exit 0 or 1.")
    var configCheck = false

    @Option(name: .customLong("config.shards"), help: "Replicas that split the configured targets between them; each polls the targets whose name hashes to its --config.shard (see docs/configuration.md, Sharding).")
    var shards = 1

    @Option(name: .customLong("config.shard"), help: "This replica's shard, 0 to --config.shards - 1 (env DATABRAIN_SHARD, e.g. a StatefulSet's pod index; default: 0).")
    var shard: Int?

    @OptionGroup(title: "Web endpoint")
    var web: WebOptions

    @Option(name: .customLong("log.level"), help: "debug, info, warn or error.")
    var logLevel = "info"

    @Option(name: .customLong("log.format"), help: "logfmt or json.")
    var logFormat = "logfmt"

    @Flag(name: .customLong("once"), help: "Poll every target once, print the metrics to stdout, exit 0 if all are up, else 1.")
    var once = false

    func validate() throws {
        guard LogFormat(rawValue: logFormat) != nil else {
            throw ValidationError("invalid --log.format \"\(logFormat)\": use logfmt or json")
        }
        guard LogLevelName.parse(logLevel) != nil else {
            throw ValidationError("invalid --log.level \"\(logLevel)\": use debug, info, warn or error")
        }
        _ = try sharding(environment: Environment.current)
    }

    /// `--config.shards` with `--config.shard`, else `DATABRAIN_SHARD`, else shard 0.
    func sharding(environment: Environment) throws -> Sharding {
        var index = shard ?? 0
        if shard == nil, let text = environment.shard {
            guard let parsed = Int(text) else { throw ValidationError("invalid DATABRAIN_SHARD \"\(text)\": use a shard number, 0 to \(shards - 1)") }
            index = parsed
        }
        do { return try Sharding(shards: shards, shard: index) } catch { throw ValidationError(error.message) }
    }

    func run() async throws {
        let logger = bootstrapLogging()
        let environment = Environment.current
        let settings = CommandLineSettings(target: target, collectors: try collectors.choice(), configFile: configFile,
                                           sharding: try sharding(environment: environment), environment: environment)
        let loadConfig: @Sendable () throws -> ExporterConfig = { try settings.loadOwnedConfig() }

        let webSettings = try web.settings()
        if configCheck {
            let config = try settings.loadConfig()
            if let webConfigFile = webSettings.configFile { try MetricsHTTPServer.checkWebConfig(path: webConfigFile) }
            print("configuration OK: \(config.targets.count) target(s): \(config.targets.map(\.name).joined(separator: ", "))")
            for target in config.targets {
                print("target \(target.name): collectors \(target.collectors.map(\.rawValue).joined(separator: ", ")); "
                      + "\(OriginPlan.requestsPerPoll(target)) requests per poll at least, every \(GoDuration.format(target.interval))")
            }
            for plan in OriginPlan.plans(for: config) { print(plan.summary) }
            if shards > 1 {
                for (index, targets) in config.assignment(shards: shards).enumerated() {
                    let mine = index == settings.sharding.shard ? " (this replica)" : ""
                    print("shard \(index) of \(shards)\(mine): \(targets.count) target(s): \(targets.map(\.name).joined(separator: ", "))")
                }
            }
            return
        }
        if once {
            let result = await ExporterApplication.pollOnce(config: try loadConfig(), logger: logger)
            StandardStreams.writeOutput(result.exposition)
            if !result.allUp { throw ExitCode.failure }
            return
        }
        try await ExporterApplication(
            listeners: web.listeners, telemetryPath: web.telemetryPath, web: webSettings, loadConfig: loadConfig, logger: logger
        ).run()
    }

    private func bootstrapLogging() -> Logger {
        let format = LogFormat(rawValue: logFormat) ?? .logfmt
        let level = LogLevelName.parse(logLevel) ?? .info
        LoggingSystem.bootstrap { _ in LogLineHandler(format: format, level: level) }
        return Logger(label: "databrain_exporter")
    }

    /// Parses, runs and turns every failure into one line on stderr (ArgumentParser prints the usage too).
    static func main() async {
        AllocatorTuning.apply()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            finish(0)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                finish(0)
            }
            if error is ExitCode { finish(code.rawValue) }
            let message = message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
            let usageError = code == .validationFailure
            StandardStreams.writeError("databrain_exporter: \(message)\(usageError ? " (see --help)" : "")\n")
            finish(usageError ? 2 : 1)
        }
    }

    /// Ends the process without running C `atexit` handlers. With a thread per target, a transfer
    /// could still be aborting when main returned, and OpenSSL's exit-time cleanup freed its state
    /// under it (SIGSEGV in about one TLS shutdown in ten). The engine now removes every transfer
    /// and joins its thread before `run` returns, so that race is gone; `_exit` stays because
    /// nothing the exporter owns needs exit-time work (output goes out through write(2), stdout's
    /// buffer is flushed here) and a library's destructor is one more thing that could fail late.
    private static func finish(_ code: Int32) -> Never {
        fflush(nil)
        _exit(code)
    }
}

/// `--log.level` names as Prometheus components spell them.
enum LogLevelName {
    static func parse(_ text: String) -> Logger.Level? {
        switch text.lowercased() {
        case "debug": return .debug
        case "info": return .info
        case "warn", "warning": return .warning
        case "error": return .error
        default: return nil
        }
    }
}
