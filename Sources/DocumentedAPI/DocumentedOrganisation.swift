/// An organisation as Databrain's documented lists show it: what the simulator serves and what
/// `ScriptedAPI` serves in-process, each list answered by the one function below.
public struct DocumentedOrganisation: Sendable {
    public var datasources: [String]
    public var workspaces: [String]
    public var dataApps: [DataAppItem]
    public var datamarts: [DatamartItem]

    public init(datasources: [String], workspaces: [String], dataApps: [DataAppItem], datamarts: [DatamartItem]) {
        self.datasources = datasources
        self.workspaces = workspaces
        self.dataApps = dataApps
        self.datamarts = datamarts
    }

    /// The documented answer to a GET of `endpoint` with `query` (the page it asks for, or 400).
    /// `api-tokens` lists a live key per data app in plain text, as the real endpoint does.
    public func answer(_ endpoint: DocumentedEndpoint, query: [String: String]) -> (status: Int, body: String) {
        switch endpoint {
        case .datasource: return DocumentedList.answer(datasources.map(NamedItem.init), endpoint: endpoint, query: query)
        case .workspace: return DocumentedList.answer(workspaces.map(NamedItem.init), endpoint: endpoint, query: query)
        case .dataApp: return DocumentedList.answer(dataApps, endpoint: endpoint, query: query)
        case .datamart: return DocumentedList.answer(datamarts, endpoint: endpoint, query: query)
        case .apiTokens:
            let keys = dataApps.map { app in
                let digits = String(abs(app.name.hashValue) % 1_000_000_000_000)
                return APITokenItem(key: "6f1c2a9e-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits, dataApp: app.name)
            }
            return DocumentedList.answer(keys, endpoint: endpoint, query: query)
        }
    }
}
