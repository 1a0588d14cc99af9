/// One row of the registry: node_exporter's `registerCollector(name, default, factory)`, plus the
/// series the collector emits, so the metrics, the flags and the README can be made from it.
struct CollectorDefinition: Sendable {
    let name: CollectorName
    let enabledByDefault: Bool
    /// `databrain_up` is this collector's state, and it cannot be turned off. Exactly one is.
    let required: Bool
    /// The `--help` text of its flag.
    let help: String
    /// The handles it emits against.
    let series: CollectorSeriesDeclaration
    /// Per-target settings it takes (``CollectorSetting``).
    let settings: [CollectorSetting]
    /// Requests a poll of it makes to the target's own origin at least (for the budget plan).
    let requestsToOrigin: Int
    /// Whether it sends the target's token: only then can a rejection be the token's doing.
    let usesToken: Bool
    /// The collector's own advice for an API error it may meet (given its name), logged with the failure.
    let hint: @Sendable (APIError, CollectorName) -> String?
    /// Makes the collector for one target.
    let make: @Sendable (CollectorContext) -> any Collector

    init(name: CollectorName, enabledByDefault: Bool = true, required: Bool = false, help: String, series: CollectorSeriesDeclaration,
         settings: [CollectorSetting] = [], requestsToOrigin: Int = 1, usesToken: Bool = true,
         hint: @escaping @Sendable (APIError, CollectorName) -> String? = { _, _ in nil }, make: @escaping @Sendable (CollectorContext) -> any Collector) {
        self.name = name
        self.enabledByDefault = enabledByDefault || required
        self.required = required
        self.help = help
        self.series = series
        self.settings = settings
        self.requestsToOrigin = requestsToOrigin
        self.usesToken = usesToken
        self.hint = hint
        self.make = make
    }
}

/// What a collector is made from: the target's fetch settings and the collector's own settings.
struct CollectorContext: Sendable {
    let fetch: FetchSettings
    /// This collector's settings for the target, by ``CollectorSetting/key``.
    let settings: [String: String]
}

extension CollectorDefinition {
    /// Kebab-case `/api/v2/data-app` paths are new: an older self-hosted Databrain answers 404.
    static let predatesDataAppPaths: @Sendable (APIError, CollectorName) -> String? = { error, name in
        guard error.status == 404 else { return nil }
        return "this Databrain predates the /api/v2/data-app paths (an older self-hosted version); databrain_up is unaffected; upgrade Databrain, or --no-collector.\(name) (or collectors: in --config.file) stops asking"
    }
}
