import Synchronization

/// A fault the simulator injects into datasource responses.
enum Fault: Sendable, Equatable {
    /// Answer normally.
    case none
    /// Answer with this status and Databrain's documented error body (or no body).
    case status(Int, body: Bool)
    /// Answer as to a bad token: 401, or 400 AUTHENTICATION_ERROR on the data-app family.
    case badToken
    /// 429 with an optional Retry-After value.
    case rateLimit(retryAfter: String?)
    /// Accept the request and never answer.
    case hang
    /// Answer normally after a delay.
    case slow(milliseconds: Int)
    /// 200 with a truncated JSON body.
    case malformed
    /// 200 with an HTML page.
    case html
    /// A redirect (301/302/307/308) to this location.
    case redirect(status: Int, location: String)
    /// This status and exactly this body (wrong shapes, odd JSON).
    case raw(status: Int, body: String)
    /// The normal answer, its body sent one byte every `milliseconds`.
    case trickle(milliseconds: Int)
    /// Headers and half the body, then a TCP reset.
    case reset
    /// A 200 announcing and streaming `bytes` of body, for as long as the client reads.
    case huge(bytes: Int)
}

/// Everything the simulator knows, shared by all connections.
final class SimulatorState: Sendable {
    /// The GET lists the simulator serves (each with its own fault slot), and the secret-bearing
    /// `api-tokens` list it serves only to count who asks.
    enum Endpoint: String, Sendable, CaseIterable {
        case datasource, workspace
        case dataApp = "data_app"
        case datamart
        case apiTokens = "api_tokens"

        /// Its path, as documented.
        var path: String {
            switch self {
            case .datasource: return "/api/v2/datasource"
            case .workspace: return "/api/v2/workspace"
            case .dataApp: return "/api/v2/data-app"
            case .datamart: return "/api/v2/data-app/datamarts"
            case .apiTokens: return "/api/v2/data-app/api-tokens"
            }
        }

        /// The data-app family documents a bad service token as 400 AUTHENTICATION_ERROR.
        var rejectsTokensWith400: Bool { self == .dataApp || self == .datamart || self == .apiTokens }
        /// The workspace and datamart pages show `"error": null` on success; the others omit it.
        var successCarriesErrorNull: Bool { self == .workspace || self == .datamart }

        static func at(path: String) -> Endpoint? { allCases.first { $0.path == path } }
    }

    struct Snapshot {
        var items: [String]
        var token: String
        var fault: Fault
    }

    private struct State {
        var inventory: Inventory
        var token: String
        /// Per endpoint: the fault and how many more requests it applies to (nil: until changed).
        var faults: [Endpoint: (fault: Fault, remaining: Int?)] = [:]
        var requests: [Endpoint: Int] = [:]
        /// Datamart requests that did not say expandDetails=false (schemas and SQL would come back).
        var expandedDatamartRequests = 0
        /// Requests to /api/ with any method but GET.
        var nonGetRequests = 0
        var authorized = 0
        var apiConnections = 0
    }

    private let state: Mutex<State>

    init(datasources: [String], token: String) {
        state = Mutex(State(inventory: Inventory(datasources: datasources), token: token))
    }

    var datasources: [String] { state.withLock { $0.inventory.datasources } }

    /// Changes the inventory; returns what `change` returns.
    func update<T>(_ change: (inout Inventory) -> T) -> T { state.withLock { change(&$0.inventory) } }
    func setDatasources(_ names: [String]) { update { $0.datasources = names } }
    func setToken(_ token: String) { state.withLock { $0.token = token } }
    func setFault(_ fault: Fault, count: Int?, endpoint: Endpoint = .datasource) {
        state.withLock { $0.faults[endpoint] = (fault, count) }
    }
    /// Counts a connection the first time it carries an API request (control calls do not count).
    func apiConnectionUsed() { state.withLock { $0.apiConnections += 1 } }
    func nonGetRequest() { state.withLock { $0.nonGetRequests += 1 } }

    /// Counts a request to `endpoint`'s list and returns what to answer it with.
    func beginRequest(_ endpoint: Endpoint = .datasource, query: [String: String] = [:], authorization: String?) -> (snapshot: Snapshot, authorized: Bool) {
        state.withLock { state in
            state.requests[endpoint, default: 0] += 1
            if endpoint == .datamart, query["expandDetails"] != "false" { state.expandedDatamartRequests += 1 }
            let slot = state.faults[endpoint] ?? (Fault.none, nil)
            if let remaining = slot.remaining {
                state.faults[endpoint] = remaining <= 1 ? nil : (slot.fault, remaining - 1)
            }
            let authorized = authorization == "Bearer \(state.token)"
            if authorized { state.authorized += 1 }
            return (Snapshot(items: state.inventory.items(endpoint), token: state.token, fault: slot.fault), authorized)
        }
    }

    /// `requests` counts the datasource list, as the stats always have; the other lists have their own.
    var statsJSON: String {
        state.withLock { state in
            "{\"requests\":\(state.requests[.datasource] ?? 0),\"authorized\":\(state.authorized),\"api_connections\":\(state.apiConnections),"
                + "\"datasources\":\(state.inventory.datasources.count),\"workspace_requests\":\(state.requests[.workspace] ?? 0),"
                + "\"data_app_requests\":\(state.requests[.dataApp] ?? 0),\"datamart_requests\":\(state.requests[.datamart] ?? 0),"
                + "\"datamart_requests_expanded\":\(state.expandedDatamartRequests),\"api_token_requests\":\(state.requests[.apiTokens] ?? 0),"
                + "\"non_get_requests\":\(state.nonGetRequests)}"
        }
    }
}
