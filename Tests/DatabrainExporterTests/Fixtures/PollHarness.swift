import Logging
@testable import DatabrainExporter

/// One target, `prod`, polled in-process through a ``ScriptedAPI``: the exporter's metrics and
/// status board as the supervisor builds them, and a scrape of what Prometheus would read.
struct PollHarness {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    let metrics = ExporterMetrics()
    let board = TargetStatusBoard()
    /// The target's slot: every poller of the harness is a restart of the same target.
    let slot: TargetSlot

    init() {
        slot = TargetSlot(metrics: metrics.makeTarget("prod"))
    }

    /// A poller of `prod` with `collectors` (health probes off unless asked); a second call is a
    /// restart, as a reload makes one.
    func poller(_ api: ScriptedAPI, collectors: [CollectorName] = CollectorName.defaults, health: Bool = false, paginate: Bool = false,
                collectorSettings: [CollectorName: [String: String]] = [:], logger: Logger = PollHarness.logger) -> TargetPoller {
        var config = TargetConfig(name: "prod", url: ScriptedAPI.baseURL, token: .value("opaque token"), paginate: paginate,
                                  health: health, collectors: collectors)
        config.collectorSettings = collectorSettings
        board.setTargets([config])
        return TargetPoller(config: config, slot: slot, board: board, logger: logger, http: api)
    }

    func scrape() -> Exposition { Exposition(metrics) }

    /// Answers `path` with `status` and `body`, and everything else as `otherwise` does.
    static func answer(_ path: String, status: Int = 200, body: String, otherwise: @escaping ScriptedAPI.Handler) -> ScriptedAPI.Handler {
        { request in
            ScriptedAPI.path(request.url) == path ? .success(ScriptedAPI.json(status, body)) : otherwise(request)
        }
    }
}
