/// A `host:port` to listen on, as exporter-toolkit writes it (`:7987` means every IPv4 address).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host or IP to bind; `0.0.0.0` for an empty host.
    public var host: String
    /// The TCP port; 0 asks the kernel for a free one (the bound port is logged).
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `:port` or `[v6]:port`.
    public static func parse(_ text: String) throws(ConfigError) -> ListenAddress {
        let invalid = ConfigError("invalid --web.listen-address \"\(text)\": use host:port, :port or [ipv6]:port, e.g. :7987 or 127.0.0.1:7987")
        guard let colon = text.lastIndex(of: ":") else { throw invalid }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = Int(portText), (0...65535).contains(port) else { throw invalid }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { throw invalid }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw invalid  // an IPv6 address needs brackets
        }
        return ListenAddress(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }

    /// `host:port`, bracketing IPv6 hosts.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
