import ArgumentParser
import DatabrainExporter

/// `--[no-]collector.NAME` for each collector (node_exporter's spelling): the default set of every
/// target; a target's `collectors:` list in `--config.file` replaces it. One flag pair per
/// ``CollectorName``; CommandLineTests checks the two agree. As with kingpin, the last of a pair
/// given wins.
///
/// Each pair is an ``EnumerableFlag`` of its own rather than a `Bool` with `.prefixedNo`: for a
/// name with an underscore (`collector.data_apps`) ArgumentParser would spell the inversion
/// `--no_collector.data_apps`, which is not node_exporter's flag.
struct CollectorOptions: ParsableArguments {
    @Flag(exclusivity: .chooseLast) var datasources = Toggle<Datasources>.on
    @Flag(exclusivity: .chooseLast) var workspaces = Toggle<Workspaces>.on
    @Flag(exclusivity: .chooseLast) var dataApps = Toggle<DataApps>.on
    @Flag(exclusivity: .chooseLast) var datamarts = Toggle<Datamarts>.on

    func validate() throws {
        guard datasources == .on else {
            throw ValidationError("--no-collector.datasources: the datasources collector cannot be turned off; it is what databrain_up reports")
        }
    }

    /// The collectors turned on, in run order.
    var enabled: [CollectorName] {
        let on: [CollectorName: Bool] = [
            .datasources: datasources == .on, .workspaces: workspaces == .on, .dataApps: dataApps == .on, .datamarts: datamarts == .on,
        ]
        return CollectorName.allCases.filter { on[$0]! }
    }
}

/// Names a collector for its flag pair.
protocol CollectorFlag { static var collector: CollectorName { get } }
enum Datasources: CollectorFlag { static let collector = CollectorName.datasources }
enum Workspaces: CollectorFlag { static let collector = CollectorName.workspaces }
enum DataApps: CollectorFlag { static let collector = CollectorName.dataApps }
enum Datamarts: CollectorFlag { static let collector = CollectorName.datamarts }

/// `--collector.NAME` / `--no-collector.NAME` of the collector `C`, on unless turned off.
enum Toggle<C: CollectorFlag>: String, EnumerableFlag {
    case on, off

    static func name(for value: Self) -> NameSpecification {
        .customLong((value == .on ? "" : "no-") + "collector." + C.collector.rawValue)
    }

    /// One entry per pair in `--help` (and in the README's flag table): the `--no-` form is named in it.
    static func help(for value: Self) -> ArgumentHelp? {
        guard value == .on else { return .hidden }
        let off = C.collector == .datasources ? "" : " --no-collector.\(C.collector.rawValue) turns it off."
        return ArgumentHelp(C.collector.help + off)
    }
}
