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

    /// Formats a duration the way Go prints it (`1m30s`, `500ms`, `1.5µs`), for logs and the
    /// landing page, to the nanosecond: what `parse` reads back is the same duration (the fuzz
    /// target `go-duration` found `8.000001s` printed as `8s`). Zero components after the largest
    /// are left out (`1h`, where Go writes `1h0m0s`).
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let total = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !total.overflow else { return "\(seconds)s" }
        let nanoseconds = total.partialValue + attoseconds / 1_000_000_000
        if nanoseconds < 0 { return "-" + format(.nanoseconds(-nanoseconds)) }
        if nanoseconds == 0 { return "0s" }
        if nanoseconds < 1_000 { return "\(nanoseconds)ns" }
        if nanoseconds < 1_000_000 { return decimal(nanoseconds, scale: 1_000) + "µs" }
        if nanoseconds < 1_000_000_000 { return decimal(nanoseconds, scale: 1_000_000) + "ms" }
        var wholeSeconds = nanoseconds / 1_000_000_000
        let fraction = nanoseconds % 1_000_000_000
        var text = ""
        if wholeSeconds >= 3600 { text += "\(wholeSeconds / 3600)h"; wholeSeconds %= 3600 }
        if wholeSeconds >= 60 || (!text.isEmpty && (wholeSeconds > 0 || fraction > 0)) { text += "\(wholeSeconds / 60)m"; wholeSeconds %= 60 }
        if wholeSeconds > 0 || fraction > 0 || text.isEmpty {
            text += decimal(wholeSeconds * 1_000_000_000 + fraction, scale: 1_000_000_000) + "s"
        }
        return text
    }

    /// `value / scale` in decimal without trailing zeros (`1.5`, not `1.500`).
    private static func decimal(_ value: Int64, scale: Int64) -> String {
        let whole = value / scale, fraction = value % scale
        guard fraction != 0 else { return "\(whole)" }
        let padded = String(fraction + scale).dropFirst()
        return "\(whole)." + String(padded.reversed().drop { $0 == "0" }.reversed())
    }
}
