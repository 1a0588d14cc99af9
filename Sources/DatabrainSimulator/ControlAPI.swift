import DocumentedAPI
import Foundation

/// The simulator's own control endpoints under `/_sim/` (no auth: it only listens on loopback).
///
/// | request | effect |
/// |---|---|
/// | `PUT /_sim/datasources` body `["a","b"]` | replace the datasource list |
/// | `PUT /_sim/datasources?count=N` | replace it with `datasource-1` … `datasource-N` |
/// | `DELETE /_sim/datasource?name=N` | remove one datasource (a datamart built on it is then missing it) |
/// | `PUT /_sim/workspaces` body `["a","b"]`, or `?count=N` | replace the workspace list (default: Finance, Ops Overview) |
/// | `PUT /_sim/data_apps` body `[{"name":"A","embeds":[{"embedId":"e","name":"E","updatedAt":"2025-03-05T16:40:00Z"}]}]` (an embed's `name` may be left out; `embedCount` may be given), or `?count=N&embeds=M` | replace the data apps (default: Partner Portal with rev-board-01 and churn-tile-07) |
/// | `DELETE /_sim/embed?data_app=A&embed_id=E` | remove one embed |
/// | `PUT /_sim/datamarts` body `[{"name":"m","datasource":"d"}]` (`datasource` null or left out: `companyIntegration: null`; `datamartOrganization` optional), or `?count=N` (on the datasources in turn, every third untenanted) | replace the datamarts (default: orders-mart on the first datasource) |
/// | `PUT /_sim/token[?grace_s=N[&expired_status=400\|401]]` body = the new token | rotate: without `grace_s` the old token is rejected at once, as each page documents a bad token; with it the old token works N more seconds, then gets `EXPIRED_SERVICE_TOKEN` (400 by default, as one version of the rotate-token page says; 401 as the other) |
/// | `PUT /_sim/fault?kind=K[&endpoint=E][&status=S][&retry_after=R][&ms=M][&count=C]` | inject a fault into one list (E: datasource, the default, workspace, data_app, datamart) (K: none, status, bad_token (the page's documented rejection: 401, or 400 on the data-app family), expired_token[&status=400|401] (`EXPIRED_SERVICE_TOKEN`), status_nobody, rate_limit, hang, slow, malformed, html, redirect&location=URL, raw (the request body is the answer's body), trickle&ms=M, reset, huge&bytes=N), for C requests or until changed |
/// | `PUT /_sim/health?mode=M` | health endpoints: normal, 404 (an installation without them), hang, junk |
/// | `PUT /_sim/hasura?state=S` | Hasura's `GET /healthz`, which the simulator also serves (outside the rate limit): ok (200 OK, the default), warn (200 WARN: inconsistent objects in schema), error (500 ERROR), hang |
/// | `PUT /_sim/health/check?name=N&status=S` | set a readiness check to UP, DOWN or UNKNOWN, or `absent` to remove it |
/// | `PUT /_sim/rate_limit?limit=N&window_ms=W[&retry_after=S][&headers=H]` | express-rate-limit's shape: per client IP (`X-Client-IP` first), every endpoint, N requests per fixed W ms window from the client's first request; the headers of draft H (draft6, the default, draft7, draft8, legacy, none) on every answer; past N, 429 `Too many requests, please try again later.` as text with `Retry-After` (S, else the seconds until the window resets); `limit=0` turns it off |
/// | `GET /_sim/stats` | `SimulatorStats`, encoded: `list_requests` per endpoint, `received` (every request but these control calls), `authorized`, `expired_token`, `api_connections`, `datasources`, `datamart_requests_expanded` (without expandDetails=false), `non_get_requests`, `health_requests`, `health_with_authorization`, `rate_limited` |
enum ControlAPI {
    static func handle(method: String, path: String, query: [String: String], body: [UInt8], state: SimulatorState, health: HealthAPI,
                       rateLimit: ClientRateLimit) -> ListAPI.Reply {
        switch (method, path) {
        case ("PUT", "/_sim/rate_limit"), ("POST", "/_sim/rate_limit"):
            guard let limit = query["limit"].flatMap(Int.init), limit >= 0 else {
                return ListAPI.Reply(status: 400, body: #"{"error":"limit=N&window_ms=W[&retry_after=S][&headers=draft6|draft7|draft8|legacy|none]"}"#)
            }
            let window = query["window_ms"].flatMap(Int.init) ?? 60_000
            guard let headers = ClientRateLimit.Headers(rawValue: query["headers"] ?? "draft6") else {
                return ListAPI.Reply(status: 400, body: #"{"error":"headers: draft6, draft7, draft8, legacy or none"}"#)
            }
            rateLimit.set(limit == 0 ? nil : .init(limit: limit, window: .milliseconds(window), retryAfter: query["retry_after"].flatMap(Int.init), headers: headers))
            return ListAPI.Reply(status: 200, body: #"{"ok":true}"#)
        case ("PUT", "/_sim/hasura"), ("POST", "/_sim/hasura"):
            guard health.setHasura(query["state"] ?? "") else { return ListAPI.Reply(status: 400, body: #"{"error":"state: ok, warn, error or hang"}"#) }
            return ok
        case ("PUT", "/_sim/health"), ("POST", "/_sim/health"):
            guard health.setMode(query["mode"] ?? "") else { return ListAPI.Reply(status: 400, body: #"{"error":"mode: normal, 404, hang or junk"}"#) }
            return ListAPI.Reply(status: 200, body: #"{"ok":true}"#)
        case ("PUT", "/_sim/health/check"), ("POST", "/_sim/health/check"):
            guard health.setCheck(name: query["name"] ?? "", status: query["status"] ?? "") else {
                return ListAPI.Reply(status: 400, body: #"{"error":"name=N&status=UP|DOWN|UNKNOWN|absent"}"#)
            }
            return ListAPI.Reply(status: 200, body: #"{"ok":true}"#)
        case ("PUT", "/_sim/datasources"), ("POST", "/_sim/datasources"):
            if let countText = query["count"], let count = Int(countText), count >= 0 {
                state.setDatasources(generatedNames(count))
            } else if let names = try? JSONDecoder().decode([String].self, from: Data(body)) {
                state.setDatasources(names)
            } else {
                return ListAPI.Reply(status: 400, body: #"{"error":"expected a JSON array of names or ?count=N"}"#)
            }
            return ok
        case ("DELETE", "/_sim/datasource"):
            let name = query["name"] ?? ""
            let removed = state.update { inventory in
                let before = inventory.datasources.count
                inventory.datasources.removeAll { $0 == name }
                return inventory.datasources.count < before
            }
            return removed ? ok : ListAPI.Reply(status: 404, body: #"{"error":"no such datasource"}"#)
        case ("PUT", "/_sim/workspaces"), ("POST", "/_sim/workspaces"):
            if let count = query["count"].flatMap(Int.init), count >= 0 {
                state.update { $0.workspaces = (0..<count).map { "workspace-\($0 + 1)" } }
            } else if let names = try? JSONDecoder().decode([String].self, from: Data(body)) {
                state.update { $0.workspaces = names }
            } else {
                return ListAPI.Reply(status: 400, body: #"{"error":"expected a JSON array of names or ?count=N"}"#)
            }
            return ok
        case ("PUT", "/_sim/data_apps"), ("POST", "/_sim/data_apps"):
            if let count = query["count"].flatMap(Int.init), count >= 0 {
                let apps = Inventory.generatedDataApps(count, embeds: query["embeds"].flatMap(Int.init) ?? 1)
                state.update { $0.dataApps = apps }
            } else if let apps = try? JSONDecoder().decode([DataAppItem].self, from: Data(body)) {
                state.update { $0.dataApps = apps }
            } else {
                return ListAPI.Reply(status: 400, body: #"{"error":"expected [{\"name\":…,\"embeds\":[{\"embedId\":…,\"name\":…}]}] or ?count=N&embeds=M"}"#)
            }
            return ok
        case ("DELETE", "/_sim/embed"):
            let (app, embed) = (query["data_app"] ?? "", query["embed_id"] ?? "")
            let removed = state.update { inventory in
                guard let index = inventory.dataApps.firstIndex(where: { $0.name == app }) else { return false }
                let before = inventory.dataApps[index].embeds.count
                inventory.dataApps[index].embeds.removeAll { $0.embedId == embed }
                return inventory.dataApps[index].embeds.count < before
            }
            return removed ? ok : ListAPI.Reply(status: 404, body: #"{"error":"no such data_app and embed_id"}"#)
        case ("PUT", "/_sim/datamarts"), ("POST", "/_sim/datamarts"):
            if let count = query["count"].flatMap(Int.init), count >= 0 {
                state.update { $0.datamarts = $0.generatedDatamarts(count) }
            } else if let marts = try? JSONDecoder().decode([DatamartItem].self, from: Data(body)) {
                state.update { $0.datamarts = marts }
            } else {
                return ListAPI.Reply(status: 400, body: #"{"error":"expected [{\"name\":…,\"datasource\":…}] or ?count=N"}"#)
            }
            return ok
        case ("PUT", "/_sim/token"), ("POST", "/_sim/token"):
            let token = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { return ListAPI.Reply(status: 400, body: #"{"error":"empty token"}"#) }
            let grace = query["grace_s"].map { Int($0) }
            let expiredStatus = Int(query["expired_status"] ?? "400")
            guard grace.map({ ($0 ?? -1) >= 0 }) ?? true, expiredStatus == 400 || expiredStatus == 401 else {
                return ListAPI.Reply(status: 400, body: #"{"error":"grace_s=N (seconds, 0 or more)&expired_status=400|401"}"#)
            }
            state.rotateToken(to: token, grace: grace.flatMap { $0 }.map { .seconds($0) }, expiredStatus: expiredStatus ?? 400)
            return ListAPI.Reply(status: 200, body: #"{"ok":true}"#)
        case ("PUT", "/_sim/fault"), ("POST", "/_sim/fault"):
            guard let fault = parseFault(query, body: String(decoding: body, as: UTF8.self)) else {
                return ListAPI.Reply(status: 400, body: #"{"error":"unknown fault; see ControlAPI.swift"}"#)
            }
            guard let endpoint = DocumentedEndpoint(rawValue: query["endpoint"] ?? "datasource") else {
                return ListAPI.Reply(status: 400, body: #"{"error":"endpoint: datasource, workspace, data_app or datamart"}"#)
            }
            state.setFault(fault, count: query["count"].flatMap(Int.init), endpoint: endpoint)
            return ListAPI.Reply(status: 200, body: #"{"ok":true}"#)
        case ("GET", "/_sim/stats"):
            var stats = state.stats
            (stats.healthRequests, stats.healthWithAuthorization) = health.stats
            stats.rateLimited = rateLimit.limitedCount
            return ListAPI.Reply(status: 200, body: stats.json)
        default:
            return ListAPI.Reply(status: 404, body: #"{"error":"unknown control endpoint"}"#)
        }
    }

    private static let ok = ListAPI.Reply(status: 200, body: #"{"ok":true}"#)

    static func generatedNames(_ count: Int) -> [String] {
        (0..<count).map { "datasource-\($0 + 1)" }
    }

    static func parseFault(_ query: [String: String], body: String) -> Fault? {
        switch query["kind"] ?? "none" {
        case "none": return Fault.none
        case "status": return query["status"].flatMap(Int.init).map { .status($0, body: true) }
        case "status_nobody": return query["status"].flatMap(Int.init).map { .status($0, body: false) }
        case "bad_token": return .badToken
        case "expired_token": return .expiredToken(status: query["status"].flatMap(Int.init) ?? 400)
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
