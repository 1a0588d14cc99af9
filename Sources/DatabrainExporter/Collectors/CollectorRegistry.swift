/// Every collector, in run order: the one table the flags, `collectors:`, the metrics, the landing
/// page, `--config.check` and the README read. Adding a collector is its own file and a line here.
enum CollectorRegistry {
    static let all: [CollectorDefinition] = [.datasources, .workspaces, .dataApps, .datamarts, .hasura]

    /// The collector whose state is `databrain_up`.
    static var required: CollectorDefinition {
        guard let required = all.first(where: \.required) else { preconditionFailure("the registry has no required collector") }
        return required
    }

    static func definition(of name: CollectorName) -> CollectorDefinition {
        guard let definition = all.first(where: { $0.name == name }) else { preconditionFailure("\(name) is not registered") }
        return definition
    }

    static func index(of name: CollectorName) -> Int {
        all.firstIndex { $0.name == name } ?? all.count
    }

    /// Every per-object family of every collector, in exposition order.
    static var allFamilies: [any DeclaredFamily] { all.flatMap(\.series.families) }
}
