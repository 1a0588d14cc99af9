import DocumentedAPI
import Locking

/// A fault the simulator injects into datasource responses.
enum Fault: Sendable, Equatable {
    /// Answer normally.
    case none
    /// Answer with this status and Databrain's documented error body (or no body).
    case status(Int, body: Bool)
    /// Answer as the endpoint's page documents a bad token (`DocumentedEndpoint.tokenRejection`).
    case badToken
    /// Answer `EXPIRED_SERVICE_TOKEN` with this status (400 or 401, as the two versions of the
    /// rotate-token page say).
    case expiredToken(status: Int)
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
    typealias Endpoint = DocumentedEndpoint

    /// What a request's `Authorization` gets it.
    enum Access: Equatable {
        case authorized
        /// Not a token this organisation has: the page's documented rejection.
        case rejected
        /// The token a rotation replaced, past its grace period: `EXPIRED_SERVICE_TOKEN` at this status.
        case expired(status: Int)
    }

    /// A rotation's old token: accepted until `until`, then answered as expired.
    private struct Retired {
        var token: String
        var until: ContinuousClock.Instant
        var expiredStatus: Int
    }

    private struct State {
        var inventory: Inventory
        var token: String
        var retired: Retired?
        /// Per endpoint: the fault and how many more requests it applies to (nil: until changed).
        var faults: [Endpoint: (fault: Fault, remaining: Int?)] = [:]
        var stats = SimulatorStats()
    }

    private let state: Locked<State>

    init(datasources: [String], token: String) {
        state = Locked(State(inventory: Inventory(datasources: datasources), token: token))
    }

    var datasources: [String] { state.withLock { $0.inventory.datasources } }

    /// Changes the inventory; returns what `change` returns.
    func update<T>(_ change: (inout Inventory) -> T) -> T { state.withLock { change(&$0.inventory) } }
    func setDatasources(_ names: [String]) { update { $0.datasources = names } }

    /// Rotates to `token`. Without a grace period the old token is at once a token the
    /// organisation does not have (the page's rejection); with one it keeps working for
    /// `grace`, then answers `EXPIRED_SERVICE_TOKEN` with `expiredStatus`, as the rotate-token
    /// page documents.
    func rotateToken(to token: String, grace: Duration?, expiredStatus: Int) {
        state.withLock { state in
            state.retired = grace.map { Retired(token: state.token, until: .now + $0, expiredStatus: expiredStatus) }
            state.token = token
        }
    }

    func setFault(_ fault: Fault, count: Int?, endpoint: Endpoint = .datasource) {
        state.withLock { $0.faults[endpoint] = (fault, count) }
    }

    /// Counts any request but the control API's, before anything else can answer or drop it.
    func received() { state.withLock { $0.stats.received += 1 } }
    /// Counts a connection the first time it carries an API request (control calls do not count).
    func apiConnectionUsed() { state.withLock { $0.stats.apiConnections += 1 } }
    func nonGetRequest() { state.withLock { $0.stats.nonGetRequests += 1 } }

    /// Counts a request to `endpoint`'s list and returns the inventory to answer from, the fault
    /// to apply and what its token gets it.
    func beginRequest(_ endpoint: Endpoint = .datasource, query: [String: String] = [:], authorization: String?)
        -> (inventory: Inventory, fault: Fault, access: Access)
    {
        state.withLock { state in
            state.stats.listRequests[endpoint.rawValue, default: 0] += 1
            if endpoint == .datamart, query["expandDetails"] != "false" { state.stats.datamartRequestsExpanded += 1 }
            let slot = state.faults[endpoint] ?? (Fault.none, nil)
            if let remaining = slot.remaining {
                state.faults[endpoint] = remaining <= 1 ? nil : (slot.fault, remaining - 1)
            }
            let access: Access
            if authorization == "Bearer \(state.token)" {
                access = .authorized
            } else if let retired = state.retired, authorization == "Bearer \(retired.token)" {
                access = ContinuousClock.now < retired.until ? .authorized : .expired(status: retired.expiredStatus)
            } else {
                access = .rejected
            }
            switch access {
            case .authorized: state.stats.authorized += 1
            case .expired: state.stats.expiredToken += 1
            case .rejected: break
            }
            return (state.inventory, slot.fault, access)
        }
    }

    /// The counters, with the health endpoints' and the rate limit's added by the caller.
    var stats: SimulatorStats {
        state.withLock { state in
            var stats = state.stats
            stats.datasources = state.inventory.datasources.count
            return stats
        }
    }
}
