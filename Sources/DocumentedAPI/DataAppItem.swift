/// An item of `GET /api/v2/data-app` as its page shows it: `name`, `type` ("embedded": only
/// embedded apps are listed), `createdAt`, `updatedAt`, `embedCount` and `embeds`.
public struct DataAppItem: Codable, Sendable, Equatable {
    public var name: String
    public var type = "embedded"
    public var createdAt: String
    public var updatedAt: String
    /// The docs: "the total number of embed configurations". Nil: the list's length.
    public var embedCount: Int?
    public var embeds: [EmbedItem]

    public init(name: String, embeds: [EmbedItem], embedCount: Int? = nil,
                createdAt: String = DocumentedTimestamp.example, updatedAt: String = DocumentedTimestamp.example) {
        self.name = name
        self.embeds = embeds
        self.embedCount = embedCount
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey { case name, type, createdAt, updatedAt, embedCount, embeds }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(embedCount ?? embeds.count, forKey: .embedCount)
        try container.encode(embeds, forKey: .embeds)
    }

    /// The simulator's control API takes data apps as `{"name":…,"embeds":[…]}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        embeds = try container.decodeIfPresent([EmbedItem].self, forKey: .embeds) ?? []
        embedCount = try container.decodeIfPresent(Int.self, forKey: .embedCount)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? DocumentedTimestamp.example
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt) ?? DocumentedTimestamp.example
    }
}
