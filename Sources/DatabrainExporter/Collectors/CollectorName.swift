// Collectors/ owns what a poll lists: one collector per file, each with a name, a default and the
// documented GET list it reads with the target's token. The poller runs them in this order and
// records what they return; they hold no state, never touch metrics and never call anything but
// GET (never `/api/v2/data-app/api-tokens`, which answers with live data-app API keys).

/// The collectors, by the name their flags (`--[no-]collector.NAME`), the `collectors:` key and the
/// `collector` label use. Only collectors that exist are named here: a flag for one that does not
/// would be a setting accepted and silently ignored.
public enum CollectorName: String, CaseIterable, Sendable, Comparable {
    /// `GET /api/v2/datasource`: what `databrain_up` reports. It cannot be turned off.
    case datasources
    /// `GET /api/v2/workspace`: the workspaces.
    case workspaces
    /// `GET /api/v2/data-app`: the data apps and their embeds.
    case dataApps = "data_apps"
    /// `GET /api/v2/data-app/datamarts?expandDetails=false`: the datamarts and their datasources.
    case datamarts

    /// Whether it runs unless turned off.
    public var enabledByDefault: Bool { true }

    /// The `--help` text of its flag.
    public var help: String {
        switch self {
        case .datasources: return "GET /api/v2/datasource: the datasource list databrain_up reports (it cannot be turned off)."
        case .workspaces: return "GET /api/v2/workspace: databrain_workspaces and databrain_workspace_info{workspace}."
        case .dataApps: return "GET /api/v2/data-app: databrain_data_apps, databrain_data_app_info, databrain_data_app_embeds and databrain_embed_info (embeds come inside each data app)."
        case .datamarts: return "GET /api/v2/data-app/datamarts?expandDetails=false: databrain_datamarts, databrain_datamart_info{datamart,datasource} and databrain_datamart_datasource_missing."
        }
    }

    /// The collectors on unless turned off, in run order.
    public static var defaults: [CollectorName] { allCases.filter(\.enabledByDefault) }

    public static func < (lhs: CollectorName, rhs: CollectorName) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
