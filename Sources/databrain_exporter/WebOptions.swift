import ArgumentParser
import DatabrainExporter

/// The `--web.*` flags, as exporter-toolkit's `kingpinflag` adds them to every exporter. Every
/// default is `WebSettings.Defaults`'; every value is checked here, so a bad one exits 2.
struct WebOptions: ParsableArguments {
    @Option(name: .customLong("web.listen-address"),
            help: "Address to serve metrics on; repeat for several (e.g. :7987 and [::]:7987). Default \(WebSettings.Defaults.listenAddress).",
            transform: ListenAddress.parse)
    var listenAddresses: [ListenAddress] = []

    @Flag(name: .customLong("web.systemd-socket"), help: "Use the sockets systemd passes (socket activation) instead of --web.listen-address.")
    var systemdSocket = false

    @Option(name: .customLong("web.external-url"), help: "URL under which the exporter is reachable through a proxy; its path prefixes every route and link.")
    var externalURL: String?

    @Option(name: .customLong("web.route-prefix"), help: "Prefix of every route (default: the path of --web.external-url).")
    var routePrefix: String?

    @Option(name: .customLong("web.telemetry-path"), help: "Path of the metrics endpoint.")
    var telemetryPath = WebSettings.Defaults.telemetryPath

    @Option(name: .customLong("web.config.file"), help: "exporter-toolkit web config: TLS, basic auth, headers (see docs/configuration.md). Re-read on change.")
    var configFile: String?

    @Option(name: .customLong("web.max-requests"), help: "Metrics responses in flight at once before answering 503; 0 for no limit.")
    var maxRequests = WebSettings.Defaults.maxRequests

    @Flag(name: .customLong("web.disable-exporter-metrics"),
          help: "Leave out the exporter's own process_* and databrain_exporter_metric_handler_* series (as node_exporter's flag).")
    var disableExporterMetrics = false

    @Option(name: .customLong("web.read-header-timeout"),
            help: FlagValue.help("Time a new connection has to send its first request head.", default: WebSettings.Defaults.readHeaderTimeout),
            transform: FlagValue.positiveDuration)
    var readHeaderTimeout = WebSettings.Defaults.readHeaderTimeout

    @Option(name: .customLong("web.idle-timeout"),
            help: FlagValue.help("Time a kept-alive connection has to send its next request head.", default: WebSettings.Defaults.idleTimeout),
            transform: FlagValue.positiveDuration)
    var idleTimeout = WebSettings.Defaults.idleTimeout

    func validate() throws {
        guard telemetryPath.hasPrefix("/"), telemetryPath.count > 1, !telemetryPath.hasPrefix("/-/") else {
            throw ValidationError("invalid --web.telemetry-path \"\(telemetryPath)\": it must start with /, not be / itself and not be under /-/")
        }
        guard maxRequests >= 0 else {
            throw ValidationError("invalid --web.max-requests \(maxRequests): use 0 (no limit) or more")
        }
        guard !(systemdSocket && !listenAddresses.isEmpty) else {
            throw ValidationError("--web.systemd-socket and --web.listen-address exclude each other; use one")
        }
        do { _ = try settings() } catch { throw ValidationError(error.message) }
    }

    /// exporter-toolkit's rule: systemd's sockets, or the listen addresses (the default when none).
    var listeners: Listeners {
        if systemdSocket { return .systemdSockets }
        // The default is a valid literal; parsing it cannot fail.
        return .addresses(listenAddresses.isEmpty ? [try! ListenAddress.parse(WebSettings.Defaults.listenAddress)] : listenAddresses)
    }

    /// The settings of the endpoint; fails only on the route prefix, which `validate()` checks with it.
    func settings() throws(ConfigError) -> WebSettings {
        var settings = WebSettings(maxRequests: maxRequests, readHeaderTimeout: readHeaderTimeout, idleTimeout: idleTimeout, configFile: configFile,
                                   routePrefix: try RoutePrefix.parse(routePrefix: routePrefix, externalURL: externalURL))
        settings.disableExporterMetrics = disableExporterMetrics
        return settings
    }
}
