/// Go-style durations (`30s`, `1m30s`, `1.5h`, `250ms`), as Prometheus users write them.
public enum GoDuration {
    private static let units: [(suffix: String, nanoseconds: Double)] = [
        // Longest suffixes first so "ms" is not read as "m" followed by "s".
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// Parses a duration; the error names the input and shows valid examples.
    public static func parse(_ text: String) throws(ConfigError) -> Duration {
        let invalid = ConfigError("invalid duration \"\(text)\": use a number with a unit, like 30s, 1m30s, 500ms or 1h")
        var rest = Substring(text.trimmingWhitespace())
        guard !rest.isEmpty else { throw invalid }
        if rest == "0" { return .zero }
        var nanoseconds = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { throw invalid }
            rest = rest.dropFirst(number.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.suffix) }) else { throw invalid }
            rest = rest.dropFirst(unit.suffix.count)
            nanoseconds += value * unit.nanoseconds
        }
        guard nanoseconds < 1e18 else { throw invalid }
        return .nanoseconds(Int64(nanoseconds.rounded()))
    }

    /// Formats a duration the way Go prints it (`1m30s`, `500ms`), for logs and the landing page.
    public static func format(_ duration: Duration) -> String {
        let totalMs = duration.wholeMilliseconds
        if totalMs == 0 { return "0s" }
        if totalMs < 1000 { return "\(totalMs)ms" }
        var seconds = totalMs / 1000
        let ms = totalMs % 1000
        var text = ""
        if seconds >= 3600 { text += "\(seconds / 3600)h"; seconds %= 3600 }
        if seconds >= 60 || (!text.isEmpty && (seconds > 0 || ms > 0)) { text += "\(seconds / 60)m"; seconds %= 60 }
        if seconds > 0 || ms > 0 || text.isEmpty {
            // Milliseconds without trailing zeros (".5s", not ".500s").
            let fraction = String(String(ms + 1000).dropFirst().reversed().drop { $0 == "0" }.reversed())
            text += ms == 0 ? "\(seconds)s" : "\(seconds).\(fraction)s"
        }
        return text
    }
}
