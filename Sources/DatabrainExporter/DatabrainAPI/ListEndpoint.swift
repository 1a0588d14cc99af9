/// One of the API's paginated lists: its path, the query items it always takes, and how one page's
/// body decodes. Only GET lists that return no credentials are ever defined here (never
/// `/api/v2/data-app/api-tokens`, which answers with live data-app API keys).
public struct ListEndpoint<Item: Sendable>: Sendable {
    /// The path under the base URL, e.g. `/api/v2/datasource`.
    public let path: String
    /// The `endpoint` label of its requests' series: `datasource`, `workspace`, `data_app`, `datamart`.
    public let label: String
    /// Query items after the paging ones, already encoded (`expandDetails=false`), or empty.
    public let query: String
    /// One page's items, or a one-line reason the whole page is rejected.
    public let decode: @Sendable ([UInt8]) -> Result<[Item], DecodeFailure>

    /// Creates an endpoint.
    public init(path: String, label: String, query: String = "", decode: @escaping @Sendable ([UInt8]) -> Result<[Item], DecodeFailure>) {
        self.path = path
        self.label = label
        self.query = query
        self.decode = decode
    }
}

extension ListEndpoint where Item == String {
    /// `GET /api/v2/datasource`: datasource names.
    public static let datasources = ListEndpoint(path: "/api/v2/datasource", label: "datasource", decode: NameListDecoder.decode)
    /// `GET /api/v2/workspace`: workspace names (the GET does not say which datasource a workspace uses).
    public static let workspaces = ListEndpoint(path: "/api/v2/workspace", label: "workspace", decode: NameListDecoder.decode)
}

extension ListEndpoint where Item == DataApp {
    /// `GET /api/v2/data-app`: the embedded data apps, each with its embeds.
    static let dataApps = ListEndpoint(path: "/api/v2/data-app", label: "data_app") {
        ListPageDecoder.decode($0, as: DataApp.self, expected: #"{"data":[{"name":"...","embeds":[{"embedId":"...","name":"..."}]}]}"#)
    }
}

extension ListEndpoint where Item == Datamart {
    /// `GET /api/v2/data-app/datamarts?expandDetails=false`. Not optional: expanded datamarts carry
    /// table schemas and custom-column SQL, which a monitor must not pull.
    static let datamarts = ListEndpoint(path: "/api/v2/data-app/datamarts", label: "datamart", query: "expandDetails=false") {
        ListPageDecoder.decode($0, as: Datamart.self, expected: #"{"data":[{"name":"...","companyIntegration":{"name":"..."}}]}"#)
    }
}
