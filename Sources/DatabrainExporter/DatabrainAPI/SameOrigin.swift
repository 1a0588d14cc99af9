import FoundationEssentials

/// Decides whether a redirect may be followed with the token still attached.
public enum SameOrigin {
    /// True when both URLs have the same scheme, host and port (default ports filled in).
    public static func matches(_ first: String, _ second: String) -> Bool {
        guard let a = origin(of: first), let b = origin(of: second) else { return false }
        return a == b
    }

    /// `scheme://host:port` of a URL, lowercased, or nil when it has no host.
    public static func origin(of text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            let host = url.host()?.lowercased(), !host.isEmpty
        else { return nil }
        let port = url.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : -1)
        return "\(scheme)://\(host):\(port)"
    }
}
