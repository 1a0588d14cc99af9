import Locking

/// The last logged state of each of a target's log subjects (the poll's outcome, a collector's
/// failure, its skipped items, a remark about its answers), so a subject logs when its state
/// changes and not on every poll (node_exporter logged every scrape's error; users minded). One
/// memory per target, kept across restarts in its ``TargetSlot``.
final class LoggedStates: Sendable {
    private let states = Locked<[String: String]>([:])

    /// Stores `state` for `name` and returns the one before ("" the first time), or nil when unchanged.
    func update(_ name: String, _ state: String) -> String? {
        states.withLock { states in
            let previous = states[name] ?? ""
            guard previous != state else { return nil }
            states[name] = state
            return previous
        }
    }
}
