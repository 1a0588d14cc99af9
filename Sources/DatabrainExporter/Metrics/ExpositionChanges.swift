import Synchronization

/// One number that moves whenever a poll-derived part of the exposition may have changed: a
/// write to a series of any target's or the exporter-wide registry, a shard added or emptied,
/// or a per-object family's new lines.
///
/// A scrape reads it once to learn that nothing changed since the answer it kept, instead of
/// asking every shard and family for its generation: at 1,000 targets that was 33 registries'
/// locks and a 40-number key per scrape, and even at one target the check was a tenth of the
/// gzip path's CPU (BENCHMARKS.md). Writers bump it after the change is visible, so a reader that
/// sees the old number and answers from its cache only misses a change whose bump comes later,
/// and the next scrape sees it.
final class ExpositionChanges: Sendable {
    private let count = Atomic<UInt64>(0)

    /// Called after every change is in place.
    func changed() {
        count.add(1, ordering: .releasing)
    }

    /// Read before building an answer, and kept with it.
    var current: UInt64 { count.load(ordering: .acquiring) }
}
