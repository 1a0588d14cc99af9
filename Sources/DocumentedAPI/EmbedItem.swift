/// One embed inside a data app: `name`, `embedId`, `createdAt`, `updatedAt`. `name` is optional
/// (the create-embed page: "If not provided, the embed ID will be used") and is then left out;
/// an unknown `updatedAt` is sent as null.
public struct EmbedItem: Codable, Sendable, Equatable {
    public var embedId: String
    public var name: String?
    public var createdAt: String
    public var updatedAt: String?

    public init(embedId: String, name: String?, createdAt: String = DocumentedTimestamp.example, updatedAt: String?) {
        self.embedId = embedId
        self.name = name
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey { case embedId, name, createdAt, updatedAt }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(embedId, forKey: .embedId)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)  // null when unknown
    }

    /// The simulator's control API takes embeds without `createdAt`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        embedId = try container.decode(String.self, forKey: .embedId)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? DocumentedTimestamp.example
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt)
    }
}
