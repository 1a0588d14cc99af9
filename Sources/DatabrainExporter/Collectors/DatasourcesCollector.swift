extension ListCollector where Item == String {
    /// `datasources`: `GET /api/v2/datasource` with the target's token. Its success is what
    /// `databrain_up` reports, so it always runs, first, and cannot be turned off; the datamarts
    /// collector compares each datamart's datasource with the names it listed in the same poll.
    static func datasources(settings: FetchSettings) -> Self {
        ListCollector(.datasources, endpoint: .datasources, settings: settings) { names, _ in Self.names(names, of: .datasources) }
    }
}
