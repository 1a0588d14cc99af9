/// How the exporter's own HTTP endpoint defends itself; the `--web.*` flags.
public struct WebSettings: Sendable {
    /// Metrics responses in flight at once before answering 503 (`--web.max-requests`; 0: no limit).
    public var maxRequests: Int
    /// A new connection's first request head must arrive within this (`--web.read-header-timeout`).
    public var readHeaderTimeout: Duration
    /// A kept-alive connection's next request head must arrive within this (`--web.idle-timeout`).
    public var idleTimeout: Duration
    /// exporter-toolkit web config: TLS, basic auth, headers (`--web.config.file`).
    public var configFile: String?
    /// Where routes are served and what links start with (`--web.route-prefix`, `--web.external-url`).
    public var routePrefix: RoutePrefix
    /// Leave out the exporter's own process and metrics-handler series (`--web.disable-exporter-metrics`,
    /// node_exporter's flag), as node_exporter leaves out `process_*`, `go_*` and `promhttp_*`.
    public var disableExporterMetrics = false

    /// The one source of the `--web.*` defaults: the flags and this type's initialiser use them.
    public enum Defaults {
        /// `--web.listen-address`, exporter-toolkit's form: every interface, the exporter's port.
        public static let listenAddress = ":7987"
        /// `--web.telemetry-path`.
        public static let telemetryPath = "/metrics"
        /// `--web.max-requests`: 40 in flight, as node_exporter.
        public static let maxRequests = 40
        /// `--web.read-header-timeout`.
        public static let readHeaderTimeout: Duration = .seconds(10)
        /// `--web.idle-timeout`: 5 minutes.
        public static let idleTimeout: Duration = .seconds(300)
    }

    /// Creates settings; every value defaults to its flag's default.
    public init(maxRequests: Int = Defaults.maxRequests, readHeaderTimeout: Duration = Defaults.readHeaderTimeout,
                idleTimeout: Duration = Defaults.idleTimeout, configFile: String? = nil, routePrefix: RoutePrefix = .root) {
        self.maxRequests = maxRequests
        self.readHeaderTimeout = readHeaderTimeout
        self.idleTimeout = idleTimeout
        self.configFile = configFile
        self.routePrefix = routePrefix
    }
}
