import FoundationEssentials
import Synchronization
@testable import DatabrainExporter

/// Polls of the datasource list alone, recorded as the poller records a whole poll (one
/// ``PollReport``), for tests of the series and the landing page that need no poller.
extension TargetWriter {
    /// A poll that fetched `names`; returns how many are unique.
    @discardableResult
    func pollSucceeded(names: [String], duration: Duration, at time: Date) -> Int {
        let listing = DatasourcesCollector.series.listing(names)
        record(.datasourcesOnly(.success(listing), duration: duration, at: time))
        return listing.count ?? 0
    }

    /// A poll that failed: `up` drops to 0, the datasource list and count stay as they were.
    func pollFailed(_ failure: PollFailure = .decode("failed"), duration: Duration, at time: Date = Date()) {
        record(.datasourcesOnly(.failure(failure), duration: duration, at: time))
    }
}

extension TargetStatusBoard {
    /// A failed poll with `message` as its error.
    func recordFailure(target: String, message: String, at time: Date, writer: UInt64) {
        record(.datasourcesOnly(.failure(.token(message)), duration: .zero, at: time), target: target, writer: writer)
    }
}

extension PollReport {
    static func datasourcesOnly(_ result: Result<CollectorListing, PollFailure>, duration: Duration, at time: Date) -> PollReport {
        PollReport(time: time, duration: duration, runs: [.init(collector: .datasources, result: result, duration: duration)], health: nil)
    }
}

extension TargetMetrics {
    /// A claim for a test that writes series without a poller (``TargetSlot`` numbers the
    /// exporter's): each is later than every one before, in any test.
    func claim() -> TargetWriter {
        writer(claim: TestClaims.next.add(1, ordering: .relaxed).newValue)
    }
}

private enum TestClaims {
    static let next = Atomic<UInt64>(0)
}
