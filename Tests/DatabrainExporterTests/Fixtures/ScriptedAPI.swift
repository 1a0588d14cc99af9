import DocumentedAPI
import FoundationEssentials
import Locking
@testable import DatabrainExporter

/// Databrain's API behind the transport seam: each request is answered by a swappable handler
/// and recorded, so the client's behaviour (pagination, redirects, classification, which
/// headers go where) runs in-process, without a socket. libcurl itself is covered by the
/// process-level tests against the simulator. Both fakes answer in the shapes `DocumentedAPI`
/// encodes, so neither can drift from the other or from Databrain's pages.
final class ScriptedAPI: HTTPTransport {
    typealias Handler = @Sendable (HTTPRequest) -> Result<HTTPResponse, TransportFailure>

    static let baseURL = "https://databrain.example"

    private let state: Locked<(handler: Handler, requests: [HTTPRequest], times: [ContinuousClock.Instant])>
    /// Runs when a request is handed to the seam, before it would reach the wire: a test
    /// interleaves events there (another target's 429, say).
    private let onHanded: (@Sendable (HTTPRequest) async -> Void)?

    init(onHanded: (@Sendable (HTTPRequest) async -> Void)? = nil, _ handler: @escaping Handler) {
        self.onHanded = onHanded
        state = Locked((handler, [], []))
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

    /// As the engine does: a request that `mayStart` holds back is not sent (not recorded, not
    /// answered), and ends as `heldBack`.
    func get(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportFailure> {
        await onHanded?(request)
        if request.mayStart?() == false { return .failure(.held(after: .zero)) }
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

    /// The documented API: each list of `DocumentedEndpoint` (paged as the query asks, with
    /// `"error": null` where its page shows it) holding `names`, `workspaces`, `dataApps` and
    /// `datamarts` (by default one, `orders-mart`, on the first datasource), both health
    /// endpoints, each answer with the documented rate-limit headers; 404 elsewhere.
    static func listing(_ names: [String], workspaces: [String] = workspaces, dataApps: [DataApp] = dataApps,
                        datamarts: [Datamart]? = nil) -> Handler {
        let organisation = DocumentedOrganisation(
            datasources: names, workspaces: workspaces, dataApps: dataApps.map(dataAppItem),
            datamarts: (datamarts ?? [Datamart(name: "orders-mart", datasource: names.first ?? "pg")]).map(datamartItem))
        return { request in
            let path = path(request.url)
            if path == "/health/live" { return .success(json(200, DocumentedHealth.liveBody, headers: documentedLimit)) }
            if path == "/health/ready" { return .success(json(200, DocumentedHealth.ready(["hasura": .named("UP")]).body, headers: documentedLimit)) }
            if path == "/healthz" {  // Hasura's own, on whichever origin `hasura_url` names
                let (status, body) = DocumentedHasura.healthz(.ok)
                return .success(HTTPResponse(status: status, headers: [("Content-Type", "text/plain")], body: Array(body.utf8), duration: .milliseconds(1)))
            }
            // api-tokens is never asked for, and never served in-process.
            guard let endpoint = DocumentedEndpoint.at(path: path), endpoint != .apiTokens else { return .success(documented(.standard(status: 404))) }
            let query = ["isPagination", "pageNumber"].reduce(into: [String: String]()) { $0[$1] = Self.query(request.url, $1) }
            let (status, body) = organisation.answer(endpoint, query: query)
            return .success(json(status, body, headers: documentedLimit))
        }
    }

    /// The headers express-rate-limit (`standardHeaders: true`, draft 6) sends on every answer at
    /// Databrain's documented default of 500 requests per client IP per 2 minutes.
    static let documentedLimit = RateLimitAnnouncement.documentedDefault.headers(.draft6, nowUnixSeconds: 0).map { (name: $0.0, value: $0.1) }

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

    /// A documented error answer: its status and `{"error":{…}}` body.
    static func documented(_ error: DocumentedError) -> HTTPResponse { json(error.status, error.body) }

    /// `{"name":…}`, for a test that builds a page around it.
    static func nameItem(_ name: String) -> String { DocumentedList.item(NamedItem(name)) }

    /// A data app in the documented shape (`type`, timestamps, `embedCount` and `embeds`).
    static func dataAppItem(_ app: DataApp) -> DataAppItem {
        DataAppItem(name: app.name, embeds: (app.embeds ?? []).map { embed in
            EmbedItem(embedId: embed.embedId, name: embed.name, updatedAt: embed.updatedAt.map { DocumentedTimestamp.string(unixSeconds: $0) })
        }, embedCount: app.embedCount)
    }

    /// A datamart as `expandDetails=false` returns it (untenanted: `datamartOrganization: null`).
    static func datamartItem(_ datamart: Datamart) -> DatamartItem {
        DatamartItem(name: datamart.name, datasource: datamart.datasource)
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
