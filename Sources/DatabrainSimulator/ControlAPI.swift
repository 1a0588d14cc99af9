import Foundation

/// The simulator's own control endpoints under `/_sim/` (no auth: it only listens on loopback).
///
/// | request | effect |
/// |---|---|
/// | `PUT /_sim/datasources` body `["a","b"]` | replace the datasource list |
/// | `PUT /_sim/datasources?count=N` | replace it with `datasource-1` … `datasource-N` |
/// | `PUT /_sim/workspaces` body `["a","b"]` | replace the workspace list (default: Finance, Ops Overview) |
/// | `PUT /_sim/token` body = the new token | rotate: the old token gets 401 from now on |
/// | `PUT /_sim/fault?kind=K[&endpoint=E][&status=S][&retry_after=R][&ms=M][&count=C]` | inject a fault into one list (E: datasource, the default, or workspace) (K: none, status, status_nobody, rate_limit, hang, slow, malformed, html, redirect&location=URL, raw (the request body is the answer's body), trickle&ms=M, reset, huge&bytes=N), for C requests or until changed |
/// | `PUT /_sim/health?mode=M` | health endpoints: normal, 404 (an installation without them), hang, junk |
/// | `PUT /_sim/health/check?name=N&status=S` | set a readiness check to UP, DOWN or UNKNOWN, or `absent` to remove it |
/// | `PUT /_sim/rate_limit?limit=N&window_ms=W[&retry_after=S]` | per client IP, every endpoint: N requests per sliding W ms, then 429 (with `Retry-After: S` if given); `limit=0` turns it off |
/// | `GET /_sim/stats` | `{"requests":…,"authorized":…,"api_connections":…,"datasources":…,"health_requests":…,"health_with_authorization":…,"rate_limited":…}` |
enum ControlAPI {
    static func handle(method: String, path: String, query: [String: String], body: [UInt8], state: SimulatorState, health: HealthAPI,
                       rateLimit: ClientRateLimit) -> DatasourceAPI.Reply {
        switch (method, path) {
        case ("PUT", "/_sim/rate_limit"), ("POST", "/_sim/rate_limit"):
            guard let limit = query["limit"].flatMap(Int.init), limit >= 0 else {
                return DatasourceAPI.Reply(status: 400, body: #"{"error":"limit=N&window_ms=W[&retry_after=S]"}"#)
            }
            let window = query["window_ms"].flatMap(Int.init) ?? 60_000
            rateLimit.set(limit == 0 ? nil : .init(limit: limit, window: .milliseconds(window), retryAfter: query["retry_after"].flatMap(Int.init)))
            return DatasourceAPI.Reply(status: 200, body: #"{"ok":true}"#)
        case ("PUT", "/_sim/health"), ("POST", "/_sim/health"):
            guard health.setMode(query["mode"] ?? "") else { return DatasourceAPI.Reply(status: 400, body: #"{"error":"mode: normal, 404, hang or junk"}"#) }
            return DatasourceAPI.Reply(status: 200, body: #"{"ok":true}"#)
        case ("PUT", "/_sim/health/check"), ("POST", "/_sim/health/check"):
            guard health.setCheck(name: query["name"] ?? "", status: query["status"] ?? "") else {
                return DatasourceAPI.Reply(status: 400, body: #"{"error":"name=N&status=UP|DOWN|UNKNOWN|absent"}"#)
            }
            return DatasourceAPI.Reply(status: 200, body: #"{"ok":true}"#)
        case ("PUT", "/_sim/datasources"), ("POST", "/_sim/datasources"):
            if let countText = query["count"], let count = Int(countText), count >= 0 {
                state.setDatasources(generatedNames(count))
            } else if let names = try? JSONDecoder().decode([String].self, from: Data(body)) {
                state.setDatasources(names)
            } else {
                return DatasourceAPI.Reply(status: 400, body: #"{"error":"expected a JSON array of names or ?count=N"}"#)
            }
            return DatasourceAPI.Reply(status: 200, body: state.statsJSON)
        case ("PUT", "/_sim/workspaces"), ("POST", "/_sim/workspaces"):
            guard let names = try? JSONDecoder().decode([String].self, from: Data(body)) else {
                return DatasourceAPI.Reply(status: 400, body: #"{"error":"expected a JSON array of names"}"#)
            }
            state.setWorkspaces(names)
            return DatasourceAPI.Reply(status: 200, body: #"{"ok":true}"#)
        case ("PUT", "/_sim/token"), ("POST", "/_sim/token"):
            let token = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { return DatasourceAPI.Reply(status: 400, body: #"{"error":"empty token"}"#) }
            state.setToken(token)
            return DatasourceAPI.Reply(status: 200, body: #"{"ok":true}"#)
        case ("PUT", "/_sim/fault"), ("POST", "/_sim/fault"):
            guard let fault = parseFault(query, body: String(decoding: body, as: UTF8.self)) else {
                return DatasourceAPI.Reply(status: 400, body: #"{"error":"unknown fault; see ControlAPI.swift"}"#)
            }
            guard let endpoint = SimulatorState.Endpoint(rawValue: query["endpoint"] ?? "datasource") else {
                return DatasourceAPI.Reply(status: 400, body: #"{"error":"endpoint: datasource or workspace"}"#)
            }
            state.setFault(fault, count: query["count"].flatMap(Int.init), endpoint: endpoint)
            return DatasourceAPI.Reply(status: 200, body: #"{"ok":true}"#)
        case ("GET", "/_sim/stats"):
            let counts = health.stats
            return DatasourceAPI.Reply(status: 200, body: String(state.statsJSON.dropLast())
                + ",\"health_requests\":\(counts.requests),\"health_with_authorization\":\(counts.withAuthorization),\"rate_limited\":\(rateLimit.limitedCount)}")
        default:
            return DatasourceAPI.Reply(status: 404, body: #"{"error":"unknown control endpoint"}"#)
        }
    }

    static func generatedNames(_ count: Int) -> [String] {
        (0..<count).map { "datasource-\($0 + 1)" }
    }

    static func parseFault(_ query: [String: String], body: String) -> Fault? {
        switch query["kind"] ?? "none" {
        case "none": return Fault.none
        case "status": return query["status"].flatMap(Int.init).map { .status($0, body: true) }
        case "status_nobody": return query["status"].flatMap(Int.init).map { .status($0, body: false) }
        case "rate_limit": return .rateLimit(retryAfter: query["retry_after"])
        case "hang": return .hang
        case "slow": return .slow(milliseconds: query["ms"].flatMap(Int.init) ?? 1000)
        case "malformed": return .malformed
        case "html": return .html
        case "redirect": return query["location"].map { .redirect(status: query["status"].flatMap(Int.init) ?? 302, location: $0) }
        case "raw": return .raw(status: query["status"].flatMap(Int.init) ?? 200, body: body)
        case "trickle": return .trickle(milliseconds: query["ms"].flatMap(Int.init) ?? 100)
        case "reset": return .reset
        case "huge": return query["bytes"].flatMap(Int.init).map { .huge(bytes: $0) }
        default: return nil
        }
    }
}
