/// A collector of one target: fetches what it lists with the target's token and turns it into a
/// ``CollectorListing``. It never changes `databrain_up` unless it is the required one; a failure
/// stays in its own `databrain_collector_up`.
protocol Collector: Sendable {
    /// The listing, or why there is none. `poll` carries what the poll's earlier collectors
    /// listed (the datamarts collector compares with the datasource list).
    func collect(transport: any HTTPTransport, token: String, poll: PollContext, record: (RequestRecord) -> Void) async
        -> Result<CollectorListing, PollFailure>
}

/// What a poll knows when a collector runs: the listings of the collectors that ran before it and
/// succeeded (a failed one is absent: nothing is computed from it, and the last values stay).
struct PollContext: Sendable {
    var listings: [CollectorName: CollectorListing] = [:]
}
