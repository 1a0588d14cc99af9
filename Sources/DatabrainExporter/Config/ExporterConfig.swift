// Config/ owns what the user configures: targets, both YAML files, durations, listeners.
// It validates and reports in one line per problem, and it never opens a socket, polls, or
// writes a metric; the types it produces are plain values the other folders take.

/// The validated set of targets the exporter polls.
public struct ExporterConfig: Sendable, Equatable {
    /// Targets, in the order configured; names are unique.
    public var targets: [TargetConfig]

    /// Creates a configuration.
    public init(targets: [TargetConfig]) {
        self.targets = targets
    }

    /// Validates every target and the set as a whole (at least one target, unique names).
    public func validate() throws(ConfigError) {
        guard !targets.isEmpty else { throw ConfigError("no targets configured: add at least one under targets:") }
        var seen = Set<String>()
        for target in targets {
            guard seen.insert(target.name).inserted else {
                throw ConfigError("duplicate target name \"\(target.name)\": every target needs its own name")
            }
            try target.validate()
        }
    }
}
