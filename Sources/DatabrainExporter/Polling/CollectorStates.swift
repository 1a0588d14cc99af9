import Synchronization

/// The last logged state of each of one poller's log subjects (a collector's failure, its skipped
/// items, a remark about its answers), so a subject logs when its state changes and not on every
/// poll (node_exporter logged every scrape's error; users minded).
final class CollectorStates: Sendable {
    private let states = Mutex<[String: String]>([:])

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
