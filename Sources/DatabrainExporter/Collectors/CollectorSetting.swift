/// A per-target setting a collector takes: `<collector>_<key>:` in a target of --config.file and
/// `--collector.<collector>.<key>` on the command line (the default of every target), as
/// node_exporter's `--collector.<name>.<option>`.
public struct CollectorSetting: Sendable, Equatable {
    /// The key after the collector's name: `url` for `NAME_url:` and `--collector.NAME.url`.
    public let key: String
    /// The `--help` text.
    public let help: String
    /// Whether a target that turns the collector on must give it.
    public let required: Bool
    /// Checks a value; the error is one line that says what to write instead.
    let validate: @Sendable (String) -> String?

    init(key: String, help: String, required: Bool = false, validate: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.key = key
        self.help = help
        self.required = required
        self.validate = validate
    }

    public static func == (lhs: CollectorSetting, rhs: CollectorSetting) -> Bool { lhs.key == rhs.key && lhs.help == rhs.help }

    /// Its key in a target of --config.file.
    public func configKey(of collector: CollectorName) -> String { "\(collector.rawValue)_\(key)" }
    /// Its command-line flag.
    public func flag(of collector: CollectorName) -> String { "--collector.\(collector.rawValue).\(key)" }
}
