/// Where the HTTP server accepts connections, as exporter-toolkit's flags say it: one or more
/// `--web.listen-address`, or the sockets systemd passes (`--web.systemd-socket`).
public enum Listeners: Sendable, Equatable {
    /// Bind each address (IPv4 and IPv6 alike).
    case addresses([ListenAddress])
    /// Use the sockets systemd passed in (`LISTEN_FDS`, `LISTEN_PID`) instead of binding any.
    case systemdSockets
}

/// Paths behind a path-prefix proxy, as Prometheus' own binaries take them.
public struct RoutePrefix: Sendable, Equatable {
    /// Where the routes are served: `""` for the root, else `/prefix` (no trailing slash).
    public var routes: String
    /// What links on the landing page start with: the path of `--web.external-url` when given
    /// (a proxy may strip its prefix before forwarding), else ``routes``.
    public var links: String

    /// The root, as without either flag.
    public static let root = RoutePrefix(routes: "", links: "")

    /// Creates prefixes.
    public init(routes: String, links: String) {
        self.routes = routes
        self.links = links
    }

    /// `--web.route-prefix` and `--web.external-url`: the route prefix defaults to the external
    /// URL's path, as in Prometheus.
    public static func parse(routePrefix: String?, externalURL: String?) throws(ConfigError) -> RoutePrefix {
        var externalPath: String?
        if let externalURL {
            let invalid = ConfigError("invalid --web.external-url \"\(externalURL)\": use http(s)://host[:port][/path], e.g. https://proxy.example.com/databrain")
            guard let colon = externalURL.firstIndex(of: ":"), externalURL[colon...].hasPrefix("://") else { throw invalid }
            let scheme = externalURL[..<colon].lowercased()
            let rest = externalURL[externalURL.index(colon, offsetBy: 3)...]
            let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            let path = rest[hostEnd...]
            guard scheme == "http" || scheme == "https", hostEnd > rest.startIndex, !path.contains("?"), !path.contains("#") else { throw invalid }
            externalPath = normalise(String(path))
        }
        let routes = routePrefix.map(normalise) ?? externalPath ?? ""
        return RoutePrefix(routes: routes, links: externalPath ?? routes)
    }

    /// `/`, `` and `/a/` → `` , `/a` ; `a` → `/a`. Split on the byte `/`, as a URL path is bytes: a
    /// slash followed by a combining mark is one Swift `Character` but still a separator.
    private static func normalise(_ path: String) -> String {
        let segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        return segments.map { "/" + String(decoding: $0, as: UTF8.self) }.joined()
    }
}
