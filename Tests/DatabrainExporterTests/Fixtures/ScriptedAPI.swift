import FoundationEssentials
import Synchronization
@testable import DatabrainExporter

/// Databrain's API behind the transport seam: each request is answered by a swappable handler
/// and recorded, so the client's behaviour (pagination, redirects, classification, which
/// headers go where) runs in-process, without a socket. libcurl itself is covered by the
/// process-level tests against the simulator.
final class ScriptedAPI: HTTPTransport {
    typealias Handler = @Sendable (HTTPRequest) -> Result<HTTPResponse, TransportFailure>

    static let baseURL = "https://databrain.example"

    private let state: Mutex<(handler: Handler, requests: [HTTPRequest], times: [ContinuousClock.Instant])>

    init(_ handler: @escaping Handler) {
        state = Mutex((handler, [], []))
    }

    /// An API that lists `names` (10 per page when asked to paginate) and is healthy.
    convenience init(datasources names: [String]) {
        self.init(Self.listing(names))
    }

    /// Answers every later request with `handler`.
    func answer(with handler: @escaping Handler) {
        state.withLock { $0.handler = handler }
    }

    /// Every request made so far, in order.
    var requests: [HTTPRequest] { state.withLock { $0.requests } }

    /// Every request's URL with the time it arrived, in order.
    var arrivals: [(url: String, at: ContinuousClock.Instant)] {
        state.withLock { state in zip(state.requests, state.times).map { ($0.url, $1) } }
    }

    /// The requests to the datasource list (not the health probes).
    var listRequests: [HTTPRequest] { requests.filter { Self.path($0.url) == "/api/v2/datasource" } }

    // MARK: - The seam

    func get(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportFailure> {
        let handler = state.withLock { state in
            state.requests.append(request)
            state.times.append(.now)
            return state.handler
        }
        return handler(request)
    }

    // MARK: - Answers

    /// Workspaces the documented API lists unless a test says otherwise.
    static let workspaces = ["Finance", "Ops Overview"]
    /// The data app of the docs' example, with its two embeds.
    static let dataApps = [
        DataApp(name: "Partner Portal", embeds: [
            .init(embedId: "rev-board-01", name: "Revenue board", updatedAt: 1_741_193_600),
            .init(embedId: "churn-tile-07", name: "Churn tile", updatedAt: 1_741_082_400),
        ]),
    ]

    /// The documented API: the datasource list (paged as `pageNumber` asks), the workspace list
    /// (with `"error": null`, as its page shows), the data apps with their embeds (no `error`, as
    /// their page shows), the datamarts (`"error": null`; by default one, `orders-mart`, on the
    /// first datasource) and both health endpoints, each answer with the documented rate-limit headers.
    static func listing(_ names: [String], workspaces: [String] = workspaces, dataApps: [DataApp] = dataApps,
                        datamarts: [Datamart]? = nil) -> Handler {
        let datamarts = datamarts ?? [Datamart(name: "orders-mart", datasource: names.first ?? "pg")]
        return { request in
            let items: [String]
            var errorNull = true
            switch path(request.url) {
            case "/health/live": return .success(json(200, #"{"status":"live"}"#, headers: documentedLimit))
            case "/health/ready": return .success(json(200, #"{"status":"ready","checks":{"hasura":{"status":"UP"}}}"#, headers: documentedLimit))
            case "/api/v2/datasource":
                items = names.map(nameItem)
                errorNull = false
            case "/api/v2/workspace": items = workspaces.map(nameItem)
            case "/api/v2/data-app":
                items = dataApps.map(dataAppItem)
                errorNull = false
            case "/api/v2/data-app/datamarts": items = datamarts.map(datamartItem)
            default: return .success(json(404, #"{"error":{"code":"NOT_FOUND","message":"Not found"}}"#))
            }
            var page = items
            if let number = query(request.url, "pageNumber").flatMap(Int.init) {
                page = Array(page.dropFirst((number - 1) * Pagination.pageSize).prefix(Pagination.pageSize))
            }
            let joined = page.joined(separator: ",")
            return .success(json(200, errorNull ? #"{"data":[\#(joined)],"error":null}"# : #"{"data":[\#(joined)]}"#, headers: documentedLimit))
        }
    }

    /// The headers express-rate-limit (`standardHeaders: true`, draft 6) sends on every answer at
    /// Databrain's documented default of 500 requests per client IP per 2 minutes.
    static let documentedLimit: [(name: String, value: String)] = [
        ("RateLimit-Policy", "500;w=120"), ("RateLimit-Limit", "500"), ("RateLimit-Remaining", "499"), ("RateLimit-Reset", "120"),
    ]

    /// `handler`'s answers without rate-limit headers: a server that announces nothing.
    static func unannounced(_ handler: @escaping Handler) -> Handler {
        { request in
            handler(request).map { response in
                var bare = response
                bare.headers = response.headers.filter { !$0.name.lowercased().contains("ratelimit") }
                return bare
            }
        }
    }

    /// JSON string literal of `text` (quotes and backslashes escaped; test names have no control characters).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }

    static func nameItem(_ name: String) -> String { #"{"name":\#(quoted(name))}"# }

    /// A data app as the docs show it (`type`, timestamps, `embedCount` and `embeds`).
    static func dataAppItem(_ app: DataApp) -> String {
        let embeds = (app.embeds ?? []).map { embed in
            let updated = embed.updatedAt.map { Date(timeIntervalSince1970: $0).formatted(.iso8601) } ?? ""
            return #"{"name":\#(quoted(embed.name)),"embedId":\#(quoted(embed.embedId)),"createdAt":"2025-03-02T08:05:00Z","updatedAt":"\#(updated)"}"#
        }.joined(separator: ",")
        return #"{"name":\#(quoted(app.name)),"type":"embedded","createdAt":"2025-03-02T08:00:00Z","updatedAt":"2025-03-09T12:10:00Z","embedCount":\#(app.embedCount ?? 0),"embeds":[\#(embeds)]}"#
    }

    /// A datamart as `expandDetails=false` returns it.
    static func datamartItem(_ datamart: Datamart) -> String {
        #"{"name":\#(quoted(datamart.name)),"datamartOrganization":null,"companyIntegration":{"name":\#(quoted(datamart.datasource))}}"#
    }

    static func json(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(body.utf8), duration: .milliseconds(2))
    }

    static func redirect(_ status: Int, to location: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Location", location)], duration: .milliseconds(1), redirectURL: location)
    }

    /// The path of an absolute URL, without its query: requests are routed by exact path
    /// (`/api/v2/data-app` is a prefix of `/api/v2/data-app/datamarts`).
    static func path(_ url: String) -> String {
        let afterScheme = url.split(separator: "://", maxSplits: 1).last.map(String.init) ?? url
        let path = afterScheme.drop { $0 != "/" }
        return String(path.prefix { $0 != "?" })
    }

    static func query(_ url: String, _ name: String) -> String? {
        guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.first.map(String.init) == name { return parts.count > 1 ? String(parts[1]) : "" }
        }
        return nil
    }
}

extension HTTPRequest {
    /// The value of the header line `name: value`, compared case-insensitively.
    func header(_ name: String) -> String? {
        let prefix = name.lowercased() + ":"
        return headers.first { $0.lowercased().hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)).trimmingWhitespace() }
    }
}
