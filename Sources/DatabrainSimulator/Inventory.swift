import Foundation

/// The organisation the simulator serves: datasources, workspaces, data apps with their embeds,
/// datamarts with the datasource each is built on, and the data-app API keys that
/// `/api/v2/data-app/api-tokens` would hand out (which the exporter must never ask for).
struct Inventory: Sendable {
    struct Embed: Codable, Sendable {
        var embedId: String
        var name: String
        var updatedAt: String?
    }

    struct DataApp: Codable, Sendable {
        var name: String
        var embeds: [Embed]
    }

    struct Datamart: Codable, Sendable {
        var name: String
        var datasource: String
    }

    var datasources: [String]
    var workspaces = ["Finance", "Ops Overview"]
    var dataApps = [DataApp(name: "Partner Portal", embeds: [
        Embed(embedId: "rev-board-01", name: "Revenue board", updatedAt: "2025-03-05T16:40:00Z"),
        Embed(embedId: "churn-tile-07", name: "Churn tile", updatedAt: "2025-03-04T10:00:00Z"),
    ])]
    var datamarts: [Datamart]

    /// Starts with one datamart, `orders-mart`, on the first datasource.
    init(datasources: [String]) {
        self.datasources = datasources
        datamarts = [Datamart(name: "orders-mart", datasource: datasources.first ?? "datasource-1")]
    }

    /// Each item of `endpoint`'s list as its documented JSON object.
    func items(_ endpoint: SimulatorState.Endpoint) -> [String] {
        switch endpoint {
        case .datasource: return datasources.map { #"{"name":\#(ListAPI.quoted($0))}"# }
        case .workspace: return workspaces.map { #"{"name":\#(ListAPI.quoted($0))}"# }
        case .dataApp:
            return dataApps.map { app in
                let embeds = app.embeds.map { embed in
                    #"{"name":\#(ListAPI.quoted(embed.name)),"embedId":\#(ListAPI.quoted(embed.embedId)),"createdAt":"2025-03-02T08:05:00Z","updatedAt":\#(embed.updatedAt.map(ListAPI.quoted) ?? "null")}"#
                }
                return #"{"name":\#(ListAPI.quoted(app.name)),"type":"embedded","createdAt":"2025-03-02T08:00:00Z","updatedAt":"2025-03-09T12:10:00Z","embedCount":\#(app.embeds.count),"embeds":[\#(embeds.joined(separator: ","))]}"#
            }
        case .datamart:
            return datamarts.map {
                #"{"name":\#(ListAPI.quoted($0.name)),"datamartOrganization":null,"companyIntegration":{"name":\#(ListAPI.quoted($0.datasource))}}"#
            }
        case .apiTokens:
            // Live keys in plain text, as the real endpoint answers: a test proves nobody asks.
            return dataApps.map { #"{"key":"6f1c2a9e-0000-4000-8000-\#(String(abs($0.name.hashValue) % 1_000_000_000_000).leftPadded(12))","name":"prod backend","description":"API key for data app \#($0.name)","createdAt":"2025-02-11T07:30:00Z"}"# }
        }
    }

    static func generatedDataApps(_ count: Int, embeds: Int) -> [DataApp] {
        (1...max(1, count)).prefix(count).map { app in
            DataApp(name: "data-app-\(app)", embeds: (1...max(1, embeds)).prefix(embeds).map {
                Embed(embedId: "embed-\(app)-\($0)", name: "Embed \($0)", updatedAt: "2025-03-05T16:40:00Z")
            })
        }
    }

    /// `count` datamarts, built on the datasources in turn.
    func generatedDatamarts(_ count: Int) -> [Datamart] {
        (0..<count).map { Datamart(name: "datamart-\($0 + 1)", datasource: datasources.isEmpty ? "datasource-1" : datasources[$0 % datasources.count]) }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
