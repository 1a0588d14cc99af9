extension CollectorName {
    static let dataApps = CollectorName(declaring: "data_apps")
}

/// `data_apps`: `GET /api/v2/data-app` with the target's token. Each data app carries its embeds,
/// the only route a service token has to the embed inventory (the embed lists themselves take a
/// data-app API key, which this exporter never holds). `databrain_data_app_embeds` is `embedCount`,
/// the documented total, when the answer has it, else the list's length; the list gives the
/// per-embed series. A data app answered with neither keeps its last count.
enum DataAppsCollector {
    static let count = CountGauge(MetricCatalog.dataApps)
    static let info = Family1(MetricCatalog.dataAppInfo)
    static let embeds = Family1(MetricCatalog.dataAppEmbeds)
    static let embedInfo = Family3(MetricCatalog.embedInfo)
    static let embedUpdated = Family2(MetricCatalog.embedUpdated)
    static let changes = ChangeCounter(MetricCatalog.dataAppChanges)
    static let embedChanges = ChangeCounter(MetricCatalog.embedChanges)

    /// The data apps' and embeds' rows. A name repeated across pages (the list shifted while it
    /// was walked) counts once; its last occurrence wins. Embeds are identified by data app and
    /// `embedId`: renaming one changes its `embed` label, not the change counters.
    static func listing(_ apps: [DataApp]) -> CollectorListing {
        var byName: [String: DataApp] = [:]
        for app in apps { byName[app.name] = app }
        var listing = CollectorListing(count: byName.count)
        for app in byName.values {
            listing.add(info, app.name)
            listing.add(embeds, app.name, value: app.embedCount.map(Double.init))
            listing.identify(changes, app.name)
            var seen: Set<String> = []
            for embed in (app.embeds ?? []).reversed() where seen.insert(embed.embedId).inserted {
                listing.add(embedInfo, app.name, embed.embedId, embed.name)
                if let updated = embed.updatedAt { listing.add(embedUpdated, app.name, embed.embedId, value: updated) }
                listing.identify(embedChanges, app.name + "\u{0}" + embed.embedId)
            }
        }
        return listing
    }
}

extension CollectorDefinition {
    static let dataApps = CollectorDefinition(
        name: .dataApps,
        help: "GET /api/v2/data-app: databrain_data_apps, databrain_data_app_info, databrain_data_app_embeds and databrain_embed_info (embeds come inside each data app).",
        series: CollectorSeriesDeclaration(
            count: DataAppsCollector.count, families: [DataAppsCollector.info, DataAppsCollector.embeds, DataAppsCollector.embedInfo, DataAppsCollector.embedUpdated],
            changes: [DataAppsCollector.changes, DataAppsCollector.embedChanges]),
        hint: CollectorDefinition.predatesDataAppPaths
    ) { context in
        ListCollector(endpoint: .dataApps, settings: context.fetch) { apps, _ in DataAppsCollector.listing(apps) }
    }
}
