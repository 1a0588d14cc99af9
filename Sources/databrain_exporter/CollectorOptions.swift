import ArgumentParser
import DatabrainExporter

/// `--[no-]collector.NAME` for each collector (node_exporter's spelling): the default set of every
/// target; a target's `collectors:` list in `--config.file` replaces it. One flag per
/// ``CollectorName``; CommandLineTests checks the two agree.
struct CollectorOptions: ParsableArguments {
    @Flag(name: .customLong("collector.datasources"), inversion: .prefixedNo, help: ArgumentHelp(CollectorName.datasources.help))
    var datasources = CollectorName.datasources.enabledByDefault

    @Flag(name: .customLong("collector.workspaces"), inversion: .prefixedNo, help: ArgumentHelp(CollectorName.workspaces.help))
    var workspaces = CollectorName.workspaces.enabledByDefault

    @Flag(name: .customLong("collector.data_apps"), inversion: .prefixedNo, help: ArgumentHelp(CollectorName.dataApps.help))
    var dataApps = CollectorName.dataApps.enabledByDefault

    @Flag(name: .customLong("collector.datamarts"), inversion: .prefixedNo, help: ArgumentHelp(CollectorName.datamarts.help))
    var datamarts = CollectorName.datamarts.enabledByDefault

    func validate() throws {
        guard datasources else {
            throw ValidationError("--no-collector.datasources: the datasources collector cannot be turned off; it is what databrain_up reports")
        }
    }

    /// The collectors turned on, in run order.
    var enabled: [CollectorName] {
        CollectorName.allCases.filter { name in
            switch name {
            case .datasources: return datasources
            case .workspaces: return workspaces
            case .dataApps: return dataApps
            case .datamarts: return datamarts
            }
        }
    }
}
