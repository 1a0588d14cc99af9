import FoundationEssentials

/// The right to write one target's series, held by one poller at a time: its ``TargetSlot``
/// numbers the claims, and a later one (a restart's new poller) makes this one's writes no-ops,
/// so a poll still finishing in the old poller cannot overwrite what the new one recorded. The
/// series are reachable only through the fence.
public struct TargetWriter: Sendable {
    private let metrics: TargetMetrics
    /// This claim's number; only the latest one's writes count.
    public let number: UInt64

    init(metrics: TargetMetrics, number: UInt64) {
        self.metrics = metrics
        self.number = number
    }

    /// Records one HTTP exchange.
    public func record(_ request: RequestRecord) {
        metrics.record(request, writer: number)
    }

    /// Creates the `databrain_health_*` series, or removes them when probing is off.
    public func setHealthProbing(_ enabled: Bool) {
        metrics.setHealthProbing(enabled, writer: number)
    }

    /// Makes the series of exactly `collectors` exist, removing those of collectors turned off.
    public func setCollectors(_ collectors: [CollectorName]) {
        metrics.setCollectors(collectors, writer: number)
    }

    /// Records a whole poll: the target's own series, each collector's, and the health probes.
    func record(_ report: PollReport) {
        metrics.record(report, writer: number)
    }
}
