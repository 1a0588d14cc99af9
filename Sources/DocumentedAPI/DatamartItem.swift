/// An item of `GET /api/v2/data-app/datamarts?expandDetails=false` as its page shows it:
/// `name`, `createdAt`, `updatedAt`, `datamartOrganization` (an object, or null: the evidence
/// leaves open which an untenanted datamart gets) and `companyIntegration` (the datasource it is
/// built on; null when the join finds none).
public struct DatamartItem: Codable, Sendable, Equatable {
    /// `datamartOrganization`: the datamart's tenancy.
    public struct Organization: Codable, Sendable, Equatable {
        public var tenancyLevel: String
        public var clientColumn: String

        public init(tenancyLevel: String = "TABLE", clientColumn: String = "client_id") {
            self.tenancyLevel = tenancyLevel
            self.clientColumn = clientColumn
        }
    }

    public var name: String
    /// `companyIntegration.name`; nil sends `"companyIntegration": null`.
    public var datasource: String?
    public var organization: Organization?
    public var createdAt: String
    public var updatedAt: String

    public init(name: String, datasource: String?, organization: Organization? = nil,
                createdAt: String = DocumentedTimestamp.example, updatedAt: String = DocumentedTimestamp.example) {
        self.name = name
        self.datasource = datasource
        self.organization = organization
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey { case name, createdAt, updatedAt, datamartOrganization, companyIntegration, datasource }
    private struct CompanyIntegration: Codable { let name: String }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(organization, forKey: .datamartOrganization)  // null when untenanted
        try container.encode(datasource.map(CompanyIntegration.init), forKey: .companyIntegration)
    }

    /// The simulator's control API takes datamarts as `{"name":…,"datasource":…}` (null or
    /// absent: built on no datasource), with an optional `datamartOrganization`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        datasource = try container.decodeIfPresent(String.self, forKey: .datasource)
        organization = try container.decodeIfPresent(Organization.self, forKey: .datamartOrganization)
        createdAt = DocumentedTimestamp.example
        updatedAt = DocumentedTimestamp.example
    }
}
