import ArgumentParser
import DatabrainExporter

/// Parsers for typed flag values. They run while ArgumentParser reads the command line, so every
/// bad value is a usage error (exit 2) reported as `The value 'x' is invalid for '--flag <v>': why`.
enum FlagValue {
    /// A Go duration (`30s`, `1m30s`, `500ms`), zero allowed.
    static func duration(_ text: String) throws -> Duration {
        try GoDuration.parse(text)
    }

    /// A Go duration longer than zero (a zero timeout would drop every connection at once).
    static func positiveDuration(_ text: String) throws -> Duration {
        let value = try GoDuration.parse(text)
        guard value > .zero else { throw ConfigError("must be longer than 0s") }
        return value
    }

    /// A listen address (`:7987`, `127.0.0.1:7987`, `[::1]:7987`).
    static func listenAddress(_ text: String) throws -> ListenAddress {
        try ListenAddress.parse(text)
    }

    /// Help text ending in the default, since a transformed option shows none by itself.
    static func help(_ text: String, default value: Duration) -> ArgumentHelp {
        ArgumentHelp("\(text) (default: \(GoDuration.format(value)))")
    }
}
