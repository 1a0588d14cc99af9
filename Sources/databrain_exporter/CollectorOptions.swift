import ArgumentParser
import DatabrainExporter

/// `--[no-]collector.NAME` for each registered collector (node_exporter's spelling), and
/// `--collector.NAME.KEY VALUE` for each collector setting: the defaults of every target; a
/// target's `collectors:` (and `NAME_KEY:`) in `--config.file` replace them. As with kingpin, the
/// last of `--collector.X` and `--no-collector.X` wins.
///
/// ArgumentParser declares flags statically, and the collectors are a table
/// (``CollectorName/allCases``): these flags arrive as the arguments ArgumentParser did not
/// recognise and are read against the table here. Anything else unrecognised is refused, as
/// ArgumentParser would. `--help` lists them from the same table (``helpText``).
struct CollectorOptions: ParsableArguments {
    @Argument(parsing: .allUnrecognized, help: .private) var unrecognised: [String] = []

    /// What the flags say: the collectors on, in run order, and each one's settings.
    struct Choice {
        var enabled: [CollectorName]
        var settings: [CollectorName: [String: String]]
    }

    func validate() throws {
        _ = try choice()
    }

    /// The collectors turned on, in run order, and their settings; a flag that names no collector
    /// (or no setting of one) is an error that says which exist.
    func choice() throws -> Choice {
        var on = Dictionary(uniqueKeysWithValues: CollectorName.allCases.map { ($0, $0.enabledByDefault) })
        var settings: [CollectorName: [String: String]] = [:]
        var arguments = unrecognised[...]
        while let argument = arguments.popFirst() {
            let (flag, inlineValue) = Self.split(argument)
            if let collector = Self.collector(flag, prefix: "--collector."), inlineValue == nil {
                on[collector] = true
            } else if let collector = Self.collector(flag, prefix: "--no-collector."), inlineValue == nil {
                guard !collector.isRequired else {
                    throw ValidationError("\(flag): the \(collector) collector cannot be turned off; it is what databrain_up reports")
                }
                on[collector] = false
            } else if let (collector, setting) = Self.setting(flag) {
                guard let value = inlineValue ?? arguments.popFirst(), !value.hasPrefix("--") else {
                    throw ValidationError("\(flag) needs a value: \(setting.help)")
                }
                settings[collector, default: [:]][setting.key] = value
            } else if flag.hasPrefix("--collector.") || flag.hasPrefix("--no-collector.") {
                throw ValidationError("unknown collector flag \(flag) (collectors: \(CollectorName.allCases.map(\.rawValue).joined(separator: ", ")))")
            } else {
                throw ValidationError("unknown option \(flag)")
            }
        }
        return Choice(enabled: CollectorName.allCases.filter { on[$0] == true }, settings: settings)
    }

    /// `--flag=value` into its two parts.
    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private static func collector(_ flag: String, prefix: String) -> CollectorName? {
        guard flag.hasPrefix(prefix) else { return nil }
        return CollectorName(rawValue: String(flag.dropFirst(prefix.count)))
    }

    private static func setting(_ flag: String) -> (CollectorName, CollectorSetting)? {
        for collector in CollectorName.allCases {
            if let setting = collector.settings.first(where: { $0.flag(of: collector) == flag }) { return (collector, setting) }
        }
        return nil
    }

    /// The collector flags as `--help` lists them (ArgumentParser cannot: they come from the table).
    static var helpText: String {
        var lines = ["COLLECTORS (one pair per collector; the last of a pair wins):"]
        for collector in CollectorName.allCases {
            let off = collector.isRequired ? "" : " --no-collector.\(collector) turns it off."
            lines.append(entry("--collector.\(collector)", collector.help + off + (collector.enabledByDefault ? " On by default." : " Off by default.")))
            for setting in collector.settings {
                lines.append(entry("\(setting.flag(of: collector)) <value>", setting.help + " (\(setting.configKey(of: collector)): per target)"))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `  --flag   text`, wrapped at 79 columns with the text's column kept, as ArgumentParser
    /// lays out its own options (a line it need not wrap keeps its indentation).
    private static func entry(_ flag: String, _ text: String) -> String {
        let column = 32, width = 79
        var lines: [String] = []
        var line = "  " + flag
        line += String(repeating: " ", count: max(1, column - line.count))
        var lineHasText = false
        for word in text.split(separator: " ") {
            if lineHasText && line.count + 1 + word.count > width {
                lines.append(line)
                line = String(repeating: " ", count: column)
                lineHasText = false
            }
            line += (lineHasText ? " " : "") + word
            lineHasText = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
