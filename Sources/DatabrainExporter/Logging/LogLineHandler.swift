// Logging/ owns the log line format (logfmt or JSON, one line per event) and where lines go.
// It decides nothing about what is logged; callers never put the token or request headers
// into a message or metadata.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import FoundationEssentials
import Logging
import Locking

/// A swift-log handler writing one logfmt or JSON line per event to stderr.
///
/// swift-log ships only a plain-text handler; exporters are expected to speak logfmt or JSON
/// (exporter-toolkit's `--log.format`), so this small handler does just that.
public struct LogLineHandler: LogHandler {
    /// Every handler of the process writes through this lock, so lines from threads never interleave.
    private static let lock = Locked(())

    private let format: LogFormat
    /// Events below this level are dropped.
    public var logLevel: Logger.Level
    /// Metadata added to every line of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Not used; present because the protocol asks for it.
    public var metadataProvider: Logger.MetadataProvider?

    /// Creates a handler.
    public init(format: LogFormat, level: Logger.Level) {
        self.format = format
        self.logLevel = level
    }

    /// Reads or writes one metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the event as one line.
    public func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("ts", Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
            ("level", event.level.rawValue == "warning" ? "warn" : event.level.rawValue),
            ("msg", "\(event.message)"),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() { fields.append((key, "\(merged[key]!)")) }
        let line = format == .json ? Self.json(fields) : Self.logfmt(fields)
        Self.lock.withLock { _ in StandardStreams.writeError(line + "\n") }
    }

    static func logfmt(_ fields: [(String, String)]) -> String {
        fields.map { key, value in
            let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline }
            return "\(key)=\(needsQuotes ? quoted(value) : value)"
        }.joined(separator: " ")
    }

    static func json(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(quoted($0.0)):\(quoted($0.1))" }.joined(separator: ",") + "}"
    }

    /// A JSON string literal (also valid logfmt quoting).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

