import DocumentedAPI
import Locking

/// Databrain's `/health/live` and `/health/ready` as documented, with what a test needs to break
/// them: each check's state, checks that come and go, an installation without the endpoints
/// (404), a hang and junk. Served under the path prefix given to the simulator (`/api` for a
/// backend mounted under a prefix).
final class HealthAPI: Sendable {
    /// How the endpoints answer.
    enum Mode: String, Sendable {
        case normal
        /// An older installation without health endpoints.
        case notFound = "404"
        /// Accept and never answer.
        case hang
        /// 200 with a body that is not JSON.
        case junk
    }

    let prefix: String
    /// Hasura's `/healthz` (the simulator stands in for Hasura too); nil: hang.
    private let hasura = Locked<DocumentedHasura.State?>(.ok)
    private let state: Locked<(mode: Mode, checks: [String: DocumentedHealth.Check], requests: Int, withAuthorization: Int)>

    /// Starts with Hasura and Keycloak UP, as a self-hosted installation with Keycloak configured.
    init(prefix: String) {
        self.prefix = prefix
        state = Locked((.normal, DocumentedHealth.healthyChecks, 0, 0))
    }

    /// The answer for `path`, or nil when it is not a health path. `hang` answers nothing (a
    /// reply with status 0).
    func reply(path: String, authorization: String?) -> ListAPI.Reply? {
        guard path == prefix + "/health/live" || path == prefix + "/health/ready" else { return nil }
        let (mode, checks) = state.withLock { state in
            state.requests += 1
            if authorization != nil { state.withAuthorization += 1 }
            return (state.mode, state.checks)
        }
        switch mode {
        case .notFound: return ListAPI.errorReply(status: 404)
        case .hang: return ListAPI.Reply(status: 0, body: "")
        case .junk: return ListAPI.Reply(status: 200, body: "<html>maintenance</html>")
        case .normal: break
        }
        if path.hasSuffix("/live") { return ListAPI.Reply(status: 200, body: DocumentedHealth.liveBody) }
        let (status, body) = DocumentedHealth.ready(checks)
        return ListAPI.Reply(status: status, body: body)
    }

    /// Hasura's `GET /healthz`, or nil when `path` is not it; a reply with status 0 hangs.
    func hasuraReply(path: String) -> ListAPI.Reply? {
        guard path == "/healthz" else { return nil }
        guard let state = hasura.withLock({ $0 }) else { return ListAPI.Reply(status: 0, body: "") }
        let (status, body) = DocumentedHasura.healthz(state)
        return ListAPI.Reply(status: status, headers: [("Content-Type", "text/plain")], body: body)
    }

    /// `PUT /_sim/hasura?state=ok|warn|error|hang`.
    func setHasura(_ text: String) -> Bool {
        if text == "hang" {
            hasura.withLock { $0 = nil }
            return true
        }
        guard let state = DocumentedHasura.State(rawValue: text) else { return false }
        hasura.withLock { $0 = state }
        return true
    }

    /// `PUT /_sim/health?mode=normal|404|hang|junk`.
    func setMode(_ text: String) -> Bool {
        guard let mode = Mode(rawValue: text) else { return false }
        state.withLock { $0.mode = mode }
        return true
    }

    /// `PUT /_sim/health/check?name=N&status=UP|DOWN|UNKNOWN`, or `&status=absent` to remove it.
    func setCheck(name: String, status: String) -> Bool {
        guard ["UP", "DOWN", "UNKNOWN", "absent"].contains(status), !name.isEmpty else { return false }
        state.withLock { state in
            state.checks[name] = status == "absent" ? nil : DocumentedHealth.Check.named(status)
        }
        return true
    }

    /// Health requests served, and how many carried an Authorization header (there must be none).
    var stats: (requests: Int, withAuthorization: Int) { state.withLock { ($0.requests, $0.withAuthorization) } }
}
