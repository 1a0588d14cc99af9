import FoundationEssentials

/// Everything one poll found, built by ``TargetPoller/pollOnce()`` and recorded once by each sink
/// (the target's series and the status board), as blackbox_exporter's prober returns one outcome
/// that its handler records. Nothing of a poll is recorded before its report is complete, except
/// the HTTP exchanges themselves, which are counted as they end.
struct PollReport: Sendable {
    /// One collector's part of the poll.
    struct Run: Sendable {
        let collector: CollectorName
        let result: Result<InventoryListing, PollFailure>
        let duration: Duration

        var failure: PollFailure? {
            if case .failure(let failure) = result { failure } else { nil }
        }
    }

    /// When the poll ended.
    let time: Date
    /// The datasource list: what `databrain_up` reports.
    let datasources: Run
    /// The inventory collectors that ran, in order; none when the token could not be read.
    let inventory: [Run]
    /// The health probes, or nil when probing is off for the target.
    let health: [HealthProber.Probe]?

    /// Why the datasource list was not fetched, or nil: the poll's outcome for the schedule.
    var failure: PollFailure? { datasources.failure }
}
