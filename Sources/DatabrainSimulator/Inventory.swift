import DocumentedAPI

/// The organisation the simulator serves, in the documented shapes: datasources, workspaces,
/// data apps with their embeds, datamarts with the datasource each is built on, and the
/// data-app API keys that `/api/v2/data-app/api-tokens` would hand out (which the exporter must
/// never ask for).
struct Inventory: Sendable {
    var datasources: [String]
    var workspaces = ["Finance", "Ops Overview"]
    var dataApps = [DataAppItem(name: "Partner Portal", embeds: [
        EmbedItem(embedId: "rev-board-01", name: "Revenue board", updatedAt: "2025-03-05T16:40:00.000Z"),
        EmbedItem(embedId: "churn-tile-07", name: "Churn tile", updatedAt: "2025-03-04T10:00:00.000Z"),
    ])]
    var datamarts: [DatamartItem]

    /// Starts with one datamart, `orders-mart`, on the first datasource, with a tenancy (the
    /// docs' examples carry a full `datamartOrganization`).
    init(datasources: [String]) {
        self.datasources = datasources
        datamarts = [DatamartItem(name: "orders-mart", datasource: datasources.first ?? "datasource-1", organization: .init())]
    }

    /// The documented answer to a GET of `endpoint` with `query`.
    func answer(_ endpoint: DocumentedEndpoint, query: [String: String]) -> (status: Int, body: String) {
        switch endpoint {
        case .datasource: return DocumentedList.answer(datasources.map(NamedItem.init), endpoint: endpoint, query: query)
        case .workspace: return DocumentedList.answer(workspaces.map(NamedItem.init), endpoint: endpoint, query: query)
        case .dataApp: return DocumentedList.answer(dataApps, endpoint: endpoint, query: query)
        case .datamart: return DocumentedList.answer(datamarts, endpoint: endpoint, query: query)
        case .apiTokens:
            // Live keys in plain text, as the real endpoint answers: a test proves nobody asks.
            let keys = dataApps.map { APITokenItem(key: "6f1c2a9e-0000-4000-8000-\(String(abs($0.name.hashValue) % 1_000_000_000_000).leftPadded(12))", dataApp: $0.name) }
            return DocumentedList.answer(keys, endpoint: endpoint, query: query)
        }
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

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
