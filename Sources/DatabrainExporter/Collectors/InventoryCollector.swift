/// A collector of the organisation's inventory: one documented GET list, fetched completely with
/// the target's token, turned into an ``InventoryListing``. It never changes `databrain_up`; a
/// failure stays in its own `databrain_collector_up`.
protocol InventoryCollector: Sendable {
    /// Its name in flags, config and the `collector` label.
    var name: CollectorName { get }

    /// The complete list as a listing, or why it was not fetched. `context` carries what the
    /// poll's earlier collectors learnt (the datamarts collector needs the datasource list).
    func collect(transport: any HTTPTransport, token: String, context: PollContext, record: (RequestRecord) -> Void) async
        -> Result<InventoryListing, PollFailure>
}

/// What a poll knows when its inventory collectors run.
struct PollContext: Sendable {
    /// The datasource names fetched by this poll, or nil when that fetch failed (then nothing is
    /// computed from them, and the last computed values stay).
    var datasources: Set<String>?
}

extension CollectorName {
    /// The collector of an inventory name (nil for `datasources`, which the poller runs itself).
    func makeCollector(settings: FetchSettings) -> (any InventoryCollector)? {
        switch self {
        case .datasources: return nil
        case .workspaces: return ListCollector.workspaces(settings: settings)
        case .dataApps: return ListCollector.dataApps(settings: settings)
        case .datamarts: return ListCollector.datamarts(settings: settings)
        }
    }
}
