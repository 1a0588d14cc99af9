import Synchronization

/// A fault the simulator injects into datasource responses.
enum Fault: Sendable, Equatable {
    /// Answer normally.
    case none
    /// Answer with this status and Databrain's documented error body (or no body).
    case status(Int, body: Bool)
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
    /// The lists the simulator serves; each has its own fault slot.
    enum Endpoint: String, Sendable, CaseIterable {
        case datasource, workspace
    }

    struct Snapshot {
        var names: [String]
        var token: String
        var fault: Fault
    }

    private struct State {
        var lists: [Endpoint: [String]]
        var token: String
        /// Per endpoint: the fault and how many more requests it applies to (nil: until changed).
        var faults: [Endpoint: (fault: Fault, remaining: Int?)] = [:]
        var requests = 0  // datasource requests, as the stats have always counted
        var workspaceRequests = 0
        var authorized = 0
        var apiConnections = 0
    }

    private let state: Mutex<State>

    init(datasources: [String], workspaces: [String] = ["Finance", "Ops Overview"], token: String) {
        state = Mutex(State(lists: [.datasource: datasources, .workspace: workspaces], token: token))
    }

    var datasources: [String] {
        get { state.withLock { $0.lists[.datasource] ?? [] } }
    }

    func setDatasources(_ names: [String]) { state.withLock { $0.lists[.datasource] = names } }
    func setWorkspaces(_ names: [String]) { state.withLock { $0.lists[.workspace] = names } }
    func setToken(_ token: String) { state.withLock { $0.token = token } }
    func setFault(_ fault: Fault, count: Int?, endpoint: Endpoint = .datasource) {
        state.withLock { $0.faults[endpoint] = (fault, count) }
    }
    /// Counts a connection the first time it carries an API request (control calls do not count).
    func apiConnectionUsed() { state.withLock { $0.apiConnections += 1 } }

    /// Counts a request to `endpoint`'s list and returns what to answer it with.
    func beginRequest(_ endpoint: Endpoint = .datasource, authorization: String?) -> (snapshot: Snapshot, authorized: Bool) {
        state.withLock { state in
            if endpoint == .datasource { state.requests += 1 } else { state.workspaceRequests += 1 }
            let slot = state.faults[endpoint] ?? (Fault.none, nil)
            if let remaining = slot.remaining {
                state.faults[endpoint] = remaining <= 1 ? nil : (slot.fault, remaining - 1)
            }
            let authorized = authorization == "Bearer \(state.token)"
            if authorized { state.authorized += 1 }
            return (Snapshot(names: state.lists[endpoint] ?? [], token: state.token, fault: slot.fault), authorized)
        }
    }

    var statsJSON: String {
        state.withLock { state in
            "{\"requests\":\(state.requests),\"authorized\":\(state.authorized),\"api_connections\":\(state.apiConnections),"
                + "\"datasources\":\(state.lists[.datasource]?.count ?? 0),\"workspace_requests\":\(state.workspaceRequests)}"
        }
    }
}
