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
            """,
        version: BuildInfo.versionLine)

    @Option(name: .customLong("databrain.url"), help: "Base URL of the Databrain API (env DATABRAIN_URL).")
    var url: String?

    @Option(name: .customLong("databrain.token-file"), help: "File holding the service token (env DATABRAIN_TOKEN_FILE).")
    var tokenFile: String?

    @Option(name: .customLong("databrain.target-name"), help: "Value of the target label (default: the URL's host).")
    var targetName: String?

    @Flag(name: .customLong("databrain.paginate"), help: "Fetch with isPagination=true, 10 per page, until a short page.")
    var paginate = false

    @Option(name: .customLong("databrain.max-pages"), help: "Pages per poll before giving up (counts as a failure).")
    var maxPages = TargetConfig.Defaults.maxPages

    @Option(name: .customLong("databrain.max-body-bytes"), help: "Largest response body accepted.")
    var maxBodyBytes = TargetConfig.Defaults.maxBodyBytes

    @Option(name: .customLong("databrain.ca-file"), help: "PEM file of CAs to trust for the API (self-hosted installations).")
    var caFile: String?

    @Flag(name: .customLong("databrain.insecure-skip-verify"), help: "Do not verify the API's TLS certificate. Exposes the token; test use only.")
    var insecureSkipVerify = false

    @Flag(name: .customLong("databrain.health"), inversion: .prefixedNo,
          help: "Probe Databrain's /health/live and /health/ready with each poll (no token sent).")
    var health = true

    @Option(name: .customLong("databrain.health-path-prefix"), help: "Put before /health/... (e.g. /api where the backend is mounted under a prefix).")
    var healthPathPrefix = ""

    @Option(name: .customLong("poll.interval"), help: "Time between polls, e.g. 60s, 1m30s.")
    var interval = "60s"

    @Option(name: .customLong("poll.timeout"), help: "Timeout of each API request; shorter than the interval.")
    var timeout = "10s"

    @Option(name: .customLong("config.file"), help: "YAML file with several targets (see README).")
    var configFile: String?

    @Flag(name: .customLong("config.check"), help: "Validate the configuration and token files, then exit 0 or 1.")
    var configCheck = false

    @Option(name: .customLong("web.listen-address"), help: "Address to serve metrics on; repeat for several (e.g. :7987 and [::]:7987). Default :7987.")
    var listenAddresses: [String] = []

    @Flag(name: .customLong("web.systemd-socket"), help: "Use the sockets systemd passes (socket activation) instead of --web.listen-address.")
    var systemdSocket = false

    @Option(name: .customLong("web.external-url"), help: "URL under which the exporter is reachable through a proxy; its path prefixes every route and link.")
    var externalURL: String?

    @Option(name: .customLong("web.route-prefix"), help: "Prefix of every route (default: the path of --web.external-url).")
    var routePrefix: String?

    @Option(name: .customLong("web.telemetry-path"), help: "Path of the metrics endpoint.")
    var telemetryPath = "/metrics"

    @Option(name: .customLong("web.config.file"), help: "exporter-toolkit web config: TLS, basic auth, headers (see README). Re-read on change.")
    var webConfigFile: String?

    @Option(name: .customLong("web.max-requests"), help: "Metrics responses in flight at once before answering 503; 0 for no limit.")
    var maxRequests = 40

    @Option(name: .customLong("web.read-header-timeout"), help: "Time a new connection has to send its first request head.")
    var readHeaderTimeout = "10s"

    @Option(name: .customLong("web.idle-timeout"), help: "Time a kept-alive connection has to send its next request head.")
    var idleTimeout = "5m"

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
        guard telemetryPath.hasPrefix("/"), telemetryPath.count > 1, !telemetryPath.hasPrefix("/-/") else {
            throw ValidationError("invalid --web.telemetry-path \"\(telemetryPath)\": it must start with /, not be / itself and not be under /-/")
        }
        guard maxRequests >= 0 else {
            throw ValidationError("invalid --web.max-requests \(maxRequests): use 0 (no limit) or more")
        }
        // Every flag value is checked here, so a mistyped flag is a usage error (exit 2) whichever
        // flag it is; files and the environment are checked later (exit 1).
        do {
            _ = try listeners()
            _ = try webSettings()
            for (text, flag) in [(interval, "--poll.interval"), (timeout, "--poll.timeout")] {
                do { _ = try GoDuration.parse(text) } catch { throw ConfigError("\(flag): \(error.message)") }
            }
        } catch let error as ConfigError {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let logger = bootstrapLogging()
        let settings = CommandLineSettings(command: self, environment: Environment.current)
        let listeners = try listeners()
        let loadConfig: @Sendable () throws -> ExporterConfig = { try settings.loadConfig() }

        let web = try webSettings()
        if configCheck {
            let config = try loadConfig()
            if let webConfigFile { try MetricsHTTPServer.checkWebConfig(path: webConfigFile) }
            print("configuration OK: \(config.targets.count) target(s): \(config.targets.map(\.name).joined(separator: ", "))")
            return
        }
        if once {
            let result = await ExporterApplication.pollOnce(config: try loadConfig(), logger: logger)
            StandardStreams.writeOutput(result.exposition)
            if !result.allUp { throw ExitCode.failure }
            return
        }
        try await ExporterApplication(listeners: listeners, telemetryPath: telemetryPath, web: web, loadConfig: loadConfig, logger: logger).run()
    }

    private func webSettings() throws -> WebSettings {
        func duration(_ text: String, _ flag: String) throws -> Duration {
            let value: Duration
            do { value = try GoDuration.parse(text) } catch { throw ConfigError("\(flag): \(error.message)") }
            guard value > .zero else { throw ConfigError("\(flag): must be longer than 0s") }
            return value
        }
        return WebSettings(maxRequests: maxRequests, readHeaderTimeout: try duration(readHeaderTimeout, "--web.read-header-timeout"),
                           idleTimeout: try duration(idleTimeout, "--web.idle-timeout"), configFile: webConfigFile,
                           routePrefix: try RoutePrefix.parse(routePrefix: routePrefix, externalURL: externalURL))
    }

    /// exporter-toolkit's rule: systemd's sockets, or the listen addresses (`:7987` when none).
    private func listeners() throws -> Listeners {
        if systemdSocket {
            guard listenAddresses.isEmpty else {
                throw ConfigError("--web.systemd-socket and --web.listen-address exclude each other; use one")
            }
            return .systemdSockets
        }
        return .addresses(try (listenAddresses.isEmpty ? [":7987"] : listenAddresses).map { (text) throws(ConfigError) in try ListenAddress.parse(text) })
    }

    private func bootstrapLogging() -> Logger {
        let format = LogFormat(rawValue: logFormat) ?? .logfmt
        let level = LogLevelName.parse(logLevel) ?? .info
        LoggingSystem.bootstrap { _ in LogLineHandler(format: format, level: level) }
        return Logger(label: "databrain_exporter")
    }

    /// Parses, runs and turns every failure into one line on stderr (ArgumentParser prints the usage too).
    static func main() async {
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

    /// Ends the process without running C `atexit` handlers. After SIGTERM a poller's transfer may
    /// still be aborting on libcurl's thread (shutdown never waits for the API); OpenSSL's exit-time
    /// cleanup freed its state under that thread and crashed the process with SIGSEGV in about one
    /// shutdown in ten against a TLS upstream. Nothing the exporter owns needs exit-time work:
    /// output goes out through write(2), and stdout's buffer (help, version) is flushed here.
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
