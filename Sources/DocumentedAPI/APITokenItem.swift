/// An item of `GET /api/v2/data-app/api-tokens`: a live data-app key in plain text, as the real
/// endpoint answers. The simulator serves it so a test can prove the exporter never asks.
public struct APITokenItem: Encodable, Sendable, Equatable {
    public var key: String
    public var name = "prod backend"
    public var description: String
    public var createdAt = DocumentedTimestamp.example

    public init(key: String, dataApp: String) {
        self.key = key
        description = "API key for data app \(dataApp)"
    }
}
