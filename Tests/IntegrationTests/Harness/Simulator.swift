import DocumentedAPI
import Foundation

/// A running `databrain-sim` and its control API.
final class Simulator: @unchecked Sendable {
    let process: ManagedProcess
    let baseURL: String
    let token: String

    /// `tls` serves HTTPS with that certificate and key (see ``TestCertificate``).
    init(datasources: Int = 3, names: [String]? = nil, token: String = "sim-token-\(UUID().uuidString)", tls: TestCertificate? = nil,
         healthPathPrefix: String = "") async throws {
        var arguments = ["--listen", "127.0.0.1:0", "--token", token, "--datasources", String(datasources), "--health-path-prefix", healthPathPrefix]
        if let names { arguments += ["--names", names.joined(separator: ",")] }
        if let tls { arguments += ["--tls-cert-file", tls.certificate, "--tls-key-file", tls.key] }
        process = try ManagedProcess(name: "sim", executable: BuildProducts.simulator, arguments: arguments, asServiceUser: true)
        let port = try await process.waitForOutput("listening on https?://127\\.0\\.0\\.1:(\\d+)")
        baseURL = "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)"
        try ServiceUser.check(pid: process.pid, name: "simulator")
        self.token = token
    }

    func setDatasources(_ names: [String]) async throws {
        let json = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
        try await control("PUT", "/_sim/datasources", body: json)
    }

    func setDatasourceCount(_ count: Int) async throws { try await control("PUT", "/_sim/datasources?count=\(count)") }
    /// Removes one datasource (the datamart built on it, `orders-mart` on the first by default, then misses it).
    func removeDatasource(_ name: String) async throws { try await control("DELETE", "/_sim/datasource?name=\(escaped(name))") }
    /// Removes one embed of a data app (by default `Partner Portal` has `rev-board-01` and `churn-tile-07`).
    func removeEmbed(dataApp: String, embedId: String) async throws {
        try await control("DELETE", "/_sim/embed?data_app=\(escaped(dataApp))&embed_id=\(escaped(embedId))")
    }
    /// Replaces the data apps: `[{"name":…,"embeds":[{"embedId":…,"name":…}]}]`.
    func setDataApps(_ json: String) async throws { try await control("PUT", "/_sim/data_apps", body: json) }
    /// Replaces the datamarts: `[{"name":…,"datasource":…}]`.
    func setDatamarts(_ json: String) async throws { try await control("PUT", "/_sim/datamarts", body: json) }
    /// `count` workspaces, `dataApps` data apps of `embeds` embeds and `datamarts` datamarts on the datasources in turn.
    func setInventory(workspaces: Int, dataApps: Int, embeds: Int, datamarts: Int) async throws {
        try await control("PUT", "/_sim/workspaces?count=\(workspaces)")
        try await control("PUT", "/_sim/data_apps?count=\(dataApps)&embeds=\(embeds)")
        try await control("PUT", "/_sim/datamarts?count=\(datamarts)")
    }
    /// Rotates the token. Without `graceSeconds` the old one is rejected at once; with it, the old
    /// one works that long and then gets `EXPIRED_SERVICE_TOKEN` with `expiredStatus`.
    func rotateToken(to token: String, graceSeconds: Int? = nil, expiredStatus: Int = 400) async throws {
        try await control("PUT", "/_sim/token" + (graceSeconds.map { "?grace_s=\($0)&expired_status=\(expiredStatus)" } ?? ""), body: token)
    }
    func fault(_ query: String, body: String? = nil) async throws { try await control("PUT", "/_sim/fault?\(query)", body: body) }
    /// Health endpoints: `normal`, `404`, `hang` or `junk`.
    func healthMode(_ mode: String) async throws { try await control("PUT", "/_sim/health?mode=\(mode)") }
    /// Hasura's `/healthz`: `ok`, `warn`, `error` or `hang`.
    func hasura(_ state: String) async throws { try await control("PUT", "/_sim/hasura?state=\(state)") }
    /// A readiness check to `UP`, `DOWN`, `UNKNOWN`, or `absent` to remove it.
    func healthCheck(_ name: String, _ status: String) async throws { try await control("PUT", "/_sim/health/check?name=\(name)&status=\(status)") }

    /// Databrain's per-client limit: `limit` requests per fixed window, then 429 (with `Retry-After` when given).
    func rateLimit(limit: Int, windowMilliseconds: Int, retryAfter: Int? = nil, headers: String = "draft6") async throws {
        try await control("PUT", "/_sim/rate_limit?limit=\(limit)&window_ms=\(windowMilliseconds)&headers=\(headers)" + (retryAfter.map { "&retry_after=\($0)" } ?? ""))
    }

    /// `/_sim/stats`, each counter by its name.
    func stats() async throws -> SimulatorStats {
        let reply = try await HTTP.get(baseURL + "/_sim/stats")
        return try JSONDecoder().decode(SimulatorStats.self, from: Data(reply.body.utf8))
    }

    private func escaped(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text }

    private func control(_ method: String, _ path: String, body: String? = nil) async throws {
        let reply = try await HTTP.request(method, baseURL + path, body: body)
        guard reply.status == 200 else { throw HarnessError("simulator control \(path) answered \(reply.status): \(reply.body)") }
    }
}
