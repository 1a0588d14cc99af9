import ArgumentParser
import DatabrainExporter

/// What typed flag values need beyond the parsers the library already has (`GoDuration.parse`,
/// `ListenAddress.parse`, given to the options as transforms). Transforms run while ArgumentParser
/// reads the command line, so every bad value is a usage error (exit 2) reported as
/// `The value 'x' is invalid for '--flag <v>': why`.
enum FlagValue {
    /// A Go duration longer than zero (a zero timeout would drop every connection at once).
    static func positiveDuration(_ text: String) throws -> Duration {
        let value = try GoDuration.parse(text)
        guard value > .zero else { throw ConfigError("must be longer than 0s") }
        return value
    }

    /// Help text ending in the default, since a transformed option shows none by itself.
    static func help(_ text: String, default value: Duration) -> ArgumentHelp {
        ArgumentHelp("\(text) (default: \(GoDuration.format(value)))")
    }
}
