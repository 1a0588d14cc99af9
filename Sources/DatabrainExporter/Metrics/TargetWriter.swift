import FoundationEssentials

/// The right to write one target's series, held by one poller at a time: ``TargetMetrics/claim()``
/// gives it out, and a later claim (a restart's new poller) makes this one's writes no-ops, so a
/// poll still finishing in the old poller cannot overwrite what the new one recorded.
public struct TargetWriter: Sendable {
    /// The series written through this handle.
    public let metrics: TargetMetrics
    /// This claim's number; only the latest one's writes count.
    public let number: UInt64

    /// Records one HTTP exchange.
    public func record(_ request: RequestRecord) {
        metrics.record(request, writer: number)
    }

    /// Records a successful poll; returns the number of unique datasources.
    @discardableResult
    public func pollSucceeded(names: [String], duration: Duration, at time: Date) -> Int {
        metrics.pollSucceeded(names: names, duration: duration, at: time, writer: number)
    }

    /// Records a failed poll: `up` drops to 0, the datasource list and count stay as they were.
    public func pollFailed(duration: Duration) {
        metrics.pollFailed(duration: duration, writer: number)
    }

    /// Creates the `databrain_health_*` series, or removes them when probing is off.
    public func setHealthProbing(_ enabled: Bool) {
        metrics.setHealthProbing(enabled, writer: number)
    }

    /// Makes the series of exactly `collectors` exist, removing those of collectors turned off.
    public func setCollectors(_ collectors: [CollectorName]) {
        metrics.setCollectors(collectors, writer: number)
    }

    /// Records how a collector's part of the poll went (`databrain_collector_up`, `_duration_seconds`).
    public func collectorFinished(_ name: CollectorName, succeeded: Bool, duration: Duration) {
        metrics.collectorFinished(name, succeeded: succeeded, duration: duration, writer: number)
    }

    /// Records an inventory collector's complete list (count, info series, changes).
    func inventoryListed(_ name: CollectorName, _ listing: InventoryListing) {
        metrics.inventoryListed(name, listing, writer: number)
    }

    /// Records a round of health probes (ignored while probing is off).
    public func recordHealth(_ probes: [HealthProber.Probe]) {
        metrics.recordHealth(probes, writer: number)
    }
}
