import FoundationEssentials

/// One item of `GET /api/v2/data-app`: a data app and the embeds that come inside it, the only
/// route a service token has to the embed inventory.
///
/// Only identities are required: the data app's `name` and each embed's `embedId`. An embed
/// without `embedId` is skipped (and counted); the rest is optional, as Databrain documents it:
/// an embed's `name` falls back to its `embedId` (the create-embed page: "If not provided, the
/// embed ID will be used"), `embedCount` and `embeds` may each be missing, and an `updatedAt` that
/// is missing, null or not ISO 8601 only leaves out that embed's timestamp.
struct DataApp: Decodable, Sendable, Equatable {
    /// An embed configuration of the data app.
    struct Embed: Decodable, Sendable, Equatable {
        let embedId: String
        let name: String
        /// `updatedAt` as Unix seconds, if the answer had a readable one.
        let updatedAt: Double?

        init(embedId: String, name: String, updatedAt: Double?) {
            self.embedId = embedId
            self.name = name
            self.updatedAt = updatedAt
        }

        private enum CodingKeys: String, CodingKey { case embedId, name, updatedAt }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            embedId = try container.identity(.embedId)
            name = (try? container.identity(.name)).flatMap { $0.isEmpty ? nil : $0 } ?? embedId
            updatedAt = (try? container.decodeIfPresent(String.self, forKey: .updatedAt)).flatMap { $0 }.flatMap(Self.unixSeconds)
        }

        /// ISO 8601, with or without fractional seconds or an offset.
        static func unixSeconds(_ text: String) -> Double? {
            (try? Date(text, strategy: .iso8601))?.timeIntervalSince1970
        }
    }

    let name: String
    /// The embeds that carried an `embedId`, when the answer listed them (nil: no list came).
    let embeds: [Embed]?
    /// Listed embeds left out for want of an `embedId`.
    let skippedEmbeds: Int
    /// How many embeds the data app has: `embedCount` (the docs: "the total number of embed
    /// configurations") when the answer carries it, else the list's length, else unknown.
    let embedCount: Int?

    init(name: String, embeds: [Embed]?, embedCount: Int? = nil, skippedEmbeds: Int = 0) {
        self.name = name
        self.embeds = embeds
        self.skippedEmbeds = skippedEmbeds
        self.embedCount = embedCount ?? embeds.map { $0.count + skippedEmbeds }
    }

    private enum CodingKeys: String, CodingKey { case name, embeds, embedCount }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.identity(.name)
        let listed = try? container.decodeIfPresent([Skippable<Embed>].self, forKey: .embeds)
        let usable = listed?.compactMap(\.item)
        embeds = usable
        skippedEmbeds = (listed?.count ?? 0) - (usable?.count ?? 0)
        let count = try? container.decodeIfPresent(Int.self, forKey: .embedCount)
        embedCount = count.map { max(0, $0) } ?? listed?.count
    }
}

/// One item of `GET /api/v2/data-app/datamarts?expandDetails=false`: a datamart and the
/// datasource it is built on (`companyIntegration.name`, the name `GET /api/v2/datasource` lists).
/// Only `name` is required. `companyIntegration` may be null or absent (a broken join, as the
/// evidence expects of a GraphQL relation): the datamart is then built on no datasource,
/// `datasource` is "". `datamartOrganization` is not read. An older server that ignores
/// `expandDetails=false` sends `datamartTables` and `datamartRelationships`: nothing of them is kept.
struct Datamart: Decodable, Sendable, Equatable {
    private struct CompanyIntegration: Decodable { let name: String? }
    private enum CodingKeys: String, CodingKey { case name, companyIntegration, datamartTables, datamartRelationships }

    let name: String
    /// The datasource's name, or "" when the answer names none.
    let datasource: String
    /// The answer carried expanded details (tables, relationships): the server predates
    /// `expandDetails=false`. Only this flag is kept of them.
    let expanded: Bool

    init(name: String, datasource: String, expanded: Bool = false) {
        self.name = name
        self.datasource = datasource
        self.expanded = expanded
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.identity(.name)
        datasource = (try? container.decodeIfPresent(CompanyIntegration.self, forKey: .companyIntegration))?.name ?? ""
        expanded = container.contains(.datamartTables) || container.contains(.datamartRelationships)
    }
}
