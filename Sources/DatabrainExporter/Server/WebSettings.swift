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

    /// The defaults: 40 in flight (as node_exporter), 10 s for a head, 5 minutes idle.
    public init(maxRequests: Int = 40, readHeaderTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(300), configFile: String? = nil,
                routePrefix: RoutePrefix = .root) {
        self.maxRequests = maxRequests
        self.readHeaderTimeout = readHeaderTimeout
        self.idleTimeout = idleTimeout
        self.configFile = configFile
        self.routePrefix = routePrefix
    }
}
