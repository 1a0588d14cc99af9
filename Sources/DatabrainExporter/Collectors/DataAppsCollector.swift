/// `data_apps`: `GET /api/v2/data-app` with the target's token. Each data app carries its embeds,
/// the only route a service token has to the embed inventory (the embed lists themselves take a
/// data-app API key, which this exporter never holds). `databrain_data_app_embeds` is `embedCount`,
/// the documented total, when the answer has it, else the list's length; the list gives the
/// per-embed series. A data app answered with neither keeps its last count.
extension ListCollector where Item == DataApp {
    static func dataApps(settings: FetchSettings) -> Self {
        ListCollector(.dataApps, endpoint: .dataApps, settings: settings) { apps, _ in listing(apps) }
    }

    /// The data apps' and embeds' series. A name repeated across pages (the list shifted while it
    /// was walked) counts once; its last occurrence wins. Embeds are identified by data app and
    /// `embedId`: renaming one changes its `embed` label, not the change counters.
    static func listing(_ apps: [DataApp]) -> InventoryListing {
        var byName: [String: DataApp] = [:]
        for app in apps { byName[app.name] = app }
        var appRows: [ObjectFamily.Row] = [], countRows: [ObjectFamily.Row] = []
        var embedRows: [ObjectFamily.Row] = [], updatedRows: [ObjectFamily.Row] = []
        var embedIdentities: Set<String> = []
        for app in byName.values {
            appRows.append(.init([app.name]))
            countRows.append(.init([app.name], app.embedCount.map(Double.init)))
            var seen: Set<String> = []
            for embed in (app.embeds ?? []).reversed() where seen.insert(embed.embedId).inserted {
                embedRows.append(.init([app.name, embed.embedId, embed.name]))
                if let updated = embed.updatedAt { updatedRows.append(.init([app.name, embed.embedId], updated)) }
                embedIdentities.insert(app.name + "\u{0}" + embed.embedId)
            }
        }
        return InventoryListing(
            count: byName.count,
            rows: [
                MetricCatalog.dataAppInfo.name: appRows, MetricCatalog.dataAppEmbeds.name: countRows,
                MetricCatalog.embedInfo.name: embedRows, MetricCatalog.embedUpdated.name: updatedRows,
            ],
            identities: [MetricCatalog.dataAppChanges.name: Set(byName.keys), MetricCatalog.embedChanges.name: embedIdentities])
    }
}
