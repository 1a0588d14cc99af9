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
    struct Snapshot {
        var datasources: [String]
        var token: String
        var fault: Fault
    }

    private struct State {
        var datasources: [String]
        var token: String
        var fault: Fault = .none
        var faultRemaining: Int? = nil  // nil = until changed
        var requests = 0
        var authorized = 0
        var apiConnections = 0
    }

    private let state: Mutex<State>

    init(datasources: [String], token: String) {
        state = Mutex(State(datasources: datasources, token: token))
    }

    var datasources: [String] {
        get { state.withLock { $0.datasources } }
    }

    func setDatasources(_ names: [String]) { state.withLock { $0.datasources = names } }
    func setToken(_ token: String) { state.withLock { $0.token = token } }
    func setFault(_ fault: Fault, count: Int?) {
        state.withLock { state in
            state.fault = fault
            state.faultRemaining = count
        }
    }
    /// Counts a connection the first time it carries an API request (control calls do not count).
    func apiConnectionUsed() { state.withLock { $0.apiConnections += 1 } }

    /// Counts a datasource request and returns what to answer it with.
    func beginRequest(authorization: String?) -> (snapshot: Snapshot, authorized: Bool) {
        state.withLock { state in
            state.requests += 1
            let fault = state.fault
            if let remaining = state.faultRemaining {
                if remaining <= 1 {
                    state.fault = .none
                    state.faultRemaining = nil
                } else {
                    state.faultRemaining = remaining - 1
                }
            }
            let authorized = authorization == "Bearer \(state.token)"
            if authorized { state.authorized += 1 }
            return (Snapshot(datasources: state.datasources, token: state.token, fault: fault), authorized)
        }
    }

    var statsJSON: String {
        state.withLock { state in
            "{\"requests\":\(state.requests),\"authorized\":\(state.authorized),\"api_connections\":\(state.apiConnections),\"datasources\":\(state.datasources.count)}"
        }
    }
}
