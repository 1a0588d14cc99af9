import DocumentedAPI

/// The organisation the simulator serves (``DocumentedOrganisation``): datasources, workspaces,
/// data apps with their embeds, datamarts with the datasource each is built on, and the data-app
/// API keys that `/api/v2/data-app/api-tokens` would hand out (which the exporter must never ask for).
typealias Inventory = DocumentedOrganisation

extension DocumentedOrganisation {
    /// `datasources`, with workspaces Finance and Ops Overview, data app Partner Portal with two
    /// embeds, and one datamart, `orders-mart`, on the first datasource, with a tenancy (the docs'
    /// examples carry a full `datamartOrganization`).
    init(datasources: [String]) {
        self.init(
            datasources: datasources, workspaces: ["Finance", "Ops Overview"],
            dataApps: [DataAppItem(name: "Partner Portal", embeds: [
                EmbedItem(embedId: "rev-board-01", name: "Revenue board", updatedAt: "2025-03-05T16:40:00.000Z"),
                EmbedItem(embedId: "churn-tile-07", name: "Churn tile", updatedAt: "2025-03-04T10:00:00.000Z"),
            ])],
            datamarts: [DatamartItem(name: "orders-mart", datasource: datasources.first ?? "datasource-1", organization: .init())])
    }

    static func generatedDataApps(_ count: Int, embeds: Int) -> [DataAppItem] {
        (1...max(1, count)).prefix(count).map { app in
            DataAppItem(name: "data-app-\(app)", embeds: (1...max(1, embeds)).prefix(embeds).map {
                EmbedItem(embedId: "embed-\(app)-\($0)", name: "Embed \($0)", updatedAt: "2025-03-05T16:40:00.000Z")
            })
        }
    }

    /// `count` datamarts, built on the datasources in turn; every third untenanted
    /// (`datamartOrganization: null`), as the evidence leaves both possible.
    func generatedDatamarts(_ count: Int) -> [DatamartItem] {
        (0..<count).map {
            DatamartItem(name: "datamart-\($0 + 1)", datasource: datasources.isEmpty ? "datasource-1" : datasources[$0 % datasources.count],
                         organization: $0 % 3 == 2 ? nil : .init())
        }
    }
}
