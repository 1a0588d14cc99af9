import FoundationEssentials

/// Timestamps as the pages' examples write them: ISO 8601 in UTC with milliseconds
/// (`2025-03-02T08:00:00.000Z`). The exporter also reads Hasura's microsecond `+00:00` form;
/// its own tests cover that.
public enum DocumentedTimestamp {
    public static let example = "2025-03-02T08:00:00.000Z"

    /// `unixSeconds` in the documented form.
    public static func string(unixSeconds: Double) -> String {
        Date(timeIntervalSince1970: unixSeconds).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
