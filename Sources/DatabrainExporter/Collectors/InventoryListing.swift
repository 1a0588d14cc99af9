/// What an inventory collector's complete list becomes, before anything is recorded: the count of
/// its objects, the rows of each of its families and the identities each change counter compares,
/// both keyed by metric name as in ``InventoryMetrics``.
struct InventoryListing: Sendable, Equatable {
    /// The collector's objects (unique): `databrain_workspaces`, `databrain_data_apps`, …
    var count: Int
    /// Each family's rows, by the family's metric name.
    var rows: [String: [ObjectFamily.Row]]
    /// Each change counter's identities, by the counter's metric name: what "added" and "removed"
    /// compare between polls (an embed is its data app and embed_id, not its display name).
    var identities: [String: Set<String>]
    /// Items the list's pages left out for want of their identity (``ListPage/skipped``).
    var skipped = 0
    /// A remark about the answers worth one log line (``ListPage/notice``).
    var notice: String? = nil
}
