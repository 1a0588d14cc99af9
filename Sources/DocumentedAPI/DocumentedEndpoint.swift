/// The GET lists Databrain documents, as its pages show them (`../shared/reference/databrain-api-evidence.md`):
/// each one's path, whether a success carries `"error": null`, and how it rejects a token.
/// The simulator and the in-process `ScriptedAPI` both serve from this one table, so the two
/// fakes cannot drift apart; the exporter does not use it (it must cope with what the server
/// sends, not with what this table says).
public enum DocumentedEndpoint: String, Sendable, CaseIterable {
    case datasource, workspace
    case dataApp = "data_app"
    case datamart
    /// Returns live data-app keys: served by the simulator only to count who asks (nobody may).
    case apiTokens = "api_tokens"

    public var path: String {
        switch self {
        case .datasource: return "/api/v2/datasource"
        case .workspace: return "/api/v2/workspace"
        case .dataApp: return "/api/v2/data-app"
        case .datamart: return "/api/v2/data-app/datamarts"
        case .apiTokens: return "/api/v2/data-app/api-tokens"
        }
    }

    /// The workspace and datamart pages show `"error": null` on success; the others omit it.
    public var successCarriesErrorNull: Bool { self == .workspace || self == .datamart }

    /// The answer each page documents for a token it does not accept: 401 on the datasource
    /// and workspace lists, 400 on the data-app family, with the code each page names.
    public var tokenRejection: DocumentedError {
        switch self {
        case .datasource: return DocumentedError(status: 401, code: "AUTHENTICATION_ERROR", message: "Invalid or missing service token")
        case .workspace: return DocumentedError(status: 401, code: "INVALID_DATA_APP_API_KEY", message: "Invalid or missing service token")
        case .dataApp, .apiTokens: return DocumentedError(status: 400, code: "AUTHENTICATION_ERROR", message: "Invalid Service Token")
        case .datamart: return DocumentedError(status: 400, code: "INVALID_DATA_APP_API_KEY", message: "Missing or invalid data app")
        }
    }

    /// The endpoint served at exactly `path` (no query), if any.
    public static func at(path: String) -> DocumentedEndpoint? { allCases.first { $0.path == path } }
}
