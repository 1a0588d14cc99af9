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
    public let decode: @Sendable ([UInt8]) -> Result<ListPage<Item>, DecodeFailure>

    /// Creates an endpoint.
    public init(path: String, label: String, query: String = "", decode: @escaping @Sendable ([UInt8]) -> Result<ListPage<Item>, DecodeFailure>) {
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
    /// `GET /api/v2/data-app`: the embedded data apps, each with its embeds. Embeds without an
    /// `embedId` count as skipped items; a page that lists embeds of which none has one fails, as a
    /// page of items without names does.
    static let dataApps = ListEndpoint(path: "/api/v2/data-app", label: "data_app") { body in
        let expected = #"{"data":[{"name":"...","embeds":[{"embedId":"..."}]}]}"#
        return ListPageDecoder.decode(body, as: DataApp.self, expected: expected).flatMap { page in
            let skippedEmbeds = page.items.reduce(0) { $0 + $1.skippedEmbeds }
            let listedEmbeds = page.items.reduce(0) { $0 + ($1.embeds?.count ?? 0) }
            if skippedEmbeds > 0 && listedEmbeds == 0 {
                return .failure(DecodeFailure(message: "no embed of the page has an embedId (expected \(expected))"))
            }
            return .success(ListPage(items: page.items, skipped: page.skipped + skippedEmbeds, received: page.received))
        }
    }
}

extension ListEndpoint where Item == Datamart {
    /// `GET /api/v2/data-app/datamarts?expandDetails=false`. Not optional: expanded datamarts carry
    /// table schemas and custom-column SQL, which a monitor must not pull. A server that predates
    /// the parameter sends them anyway: the page still decodes (within the body cap), keeps none of
    /// it, and says so once in the log.
    static let datamarts = ListEndpoint(path: "/api/v2/data-app/datamarts", label: "datamart", query: "expandDetails=false") { body in
        ListPageDecoder.decode(body, as: Datamart.self, expected: #"{"data":[{"name":"...","companyIntegration":{"name":"..."}}]}"#).map { page in
            guard page.items.contains(where: \.expanded) else { return page }
            var noted = page
            noted.notice = Datamart.expandedNotice
            return noted
        }
    }
}

extension Datamart {
    /// The log line for a server that ignored `expandDetails=false`.
    static let expandedNotice = "the server sent expanded datamart details (tables, relationships, custom SQL) although expandDetails=false was asked: it predates that parameter; nothing of them is kept, but each poll transfers them (upgrade Databrain, or --no-collector.datamarts)"
}
