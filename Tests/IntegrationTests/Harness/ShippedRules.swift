import Foundation

/// The shipped alert rules (`deploy/prometheus/databrain.rules.yml`) with only their `for:`
/// durations changed, so an end-to-end test sees alerts fire in seconds.
enum ShippedRules {
    static let path = "deploy/prometheus/databrain.rules.yml"

    /// Every `for:` set to 2s: each alert fires about 2 s after its condition holds.
    static func withShortFor() throws -> String {
        try overlay { _ in "2s" }
    }

    /// Every `for:` divided by 60 (10m becomes 10s, 1h becomes 1m): the alerts keep the order in
    /// which they fire in production, which is what inhibition depends on. DatabrainBackendDown
    /// (5m) reaches Alertmanager before DatabrainAPIUnreachable (10m) here as in a real outage.
    static func withForInSecondsForMinutes() throws -> String {
        try overlay { duration in
            guard let match = duration.wholeMatch(of: /(\d+)([mh])/) else { return nil }
            return "\(match.1)\(match.2 == "m" ? "s" : "m")"
        }
    }

    /// The shipped file with each `for:` value replaced by `change(value)`; throws when there is
    /// none, or when `change` cannot convert one (nil), so a new duration form fails loudly.
    private static func overlay(_ change: (String) -> String?) throws -> String {
        let shipped = try RepositoryFiles.text(path)
        var unconverted: [String] = []
        let overlay = shipped.replacing(/(?m)^(\s+for:\s*)(\S+)$/) { match in
            guard let changed = change(String(match.2)) else {
                unconverted.append(String(match.2))
                return String(match.0)
            }
            return "\(match.1)\(changed)"
        }
        guard overlay != shipped else { throw HarnessError("no `for:` found in \(path)") }
        guard unconverted.isEmpty else { throw HarnessError("\(path): cannot scale `for:` \(unconverted)") }
        return overlay
    }
}
