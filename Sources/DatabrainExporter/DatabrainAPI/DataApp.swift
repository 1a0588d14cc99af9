import FoundationEssentials

/// One item of `GET /api/v2/data-app`: a data app and the embeds that come inside it, the only
/// route a service token has to the embed inventory.
///
/// Strict about what a series needs (`name`; each embed's `embedId` and `name`; a count from
/// `embeds` or else `embedCount`), lenient about the rest: unknown fields are ignored, and an
/// `updatedAt` that is missing, null or not ISO 8601 only leaves out that embed's timestamp.
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
            embedId = try container.decode(String.self, forKey: .embedId)
            name = try container.decode(String.self, forKey: .name)
            updatedAt = (try? container.decodeIfPresent(String.self, forKey: .updatedAt)).flatMap { $0 }.flatMap(Self.unixSeconds)
        }

        /// ISO 8601, with or without fractional seconds or an offset.
        static func unixSeconds(_ text: String) -> Double? {
            (try? Date(text, strategy: .iso8601))?.timeIntervalSince1970
        }
    }

    let name: String
    /// The embeds, when the answer listed them (nil: only `embedCount` came).
    let embeds: [Embed]?
    /// How many embeds the data app has: the list's length, or `embedCount` without a list.
    let embedCount: Int

    init(name: String, embeds: [Embed]?, embedCount: Int? = nil) {
        self.name = name
        self.embeds = embeds
        self.embedCount = embedCount ?? embeds?.count ?? 0
    }

    private enum CodingKeys: String, CodingKey { case name, embeds, embedCount }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        embeds = try container.decodeIfPresent([Embed].self, forKey: .embeds)
        if let embeds {
            embedCount = embeds.count
        } else if let count = try container.decodeIfPresent(Int.self, forKey: .embedCount) {
            embedCount = count
        } else {
            throw DecodingError.keyNotFound(CodingKeys.embedCount, .init(
                codingPath: container.codingPath, debugDescription: "neither embeds nor embedCount"))
        }
    }
}

/// One item of `GET /api/v2/data-app/datamarts?expandDetails=false`: a datamart and the
/// datasource it is built on (`companyIntegration.name`, the name `GET /api/v2/datasource` lists).
/// `datamartOrganization` may be null or absent and is not read; a missing `name` or
/// `companyIntegration.name` rejects the page.
struct Datamart: Decodable, Sendable, Equatable {
    private struct CompanyIntegration: Decodable { let name: String }
    private enum CodingKeys: String, CodingKey { case name, companyIntegration }

    let name: String
    let datasource: String

    init(name: String, datasource: String) {
        self.name = name
        self.datasource = datasource
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        datasource = try container.decode(CompanyIntegration.self, forKey: .companyIntegration).name
    }
}
