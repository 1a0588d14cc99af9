/// What `GET /_sim/stats` answers: the simulator encodes it, the process-level tests and the
/// benchmarks read it, each counter by its name.
public struct SimulatorStats: Codable, Sendable, Equatable {
    /// Requests to each documented list, by `DocumentedEndpoint.rawValue`.
    public var listRequests: [String: Int] = [:]
    /// Every request under `/api/` or the health paths, whatever its answer: listed, rejected,
    /// rate limited, unknown, or never answered. Nothing reaches the server without counting here.
    public var received = 0
    /// Requests that carried the current token (or the old one within its grace period).
    public var authorized = 0
    /// Requests answered `EXPIRED_SERVICE_TOKEN`: an old token past its grace period.
    public var expiredToken = 0
    /// Connections that carried at least one API request.
    public var apiConnections = 0
    /// Datasources the organisation has now.
    public var datasources = 0
    /// Datamart requests that did not say `expandDetails=false` (tables and SQL would come back).
    public var datamartRequestsExpanded = 0
    /// Requests to `/api/` with any method but GET (the exporter must send none).
    public var nonGetRequests = 0
    public var healthRequests = 0
    /// Health requests that carried an `Authorization` header (the exporter must send none).
    public var healthWithAuthorization = 0
    /// Requests answered 429 by the per-client rate limit.
    public var rateLimited = 0

    public init() {}

    /// Requests to `endpoint`'s list.
    public func requests(_ endpoint: DocumentedEndpoint) -> Int { listRequests[endpoint.rawValue, default: 0] }

    /// The stats as `/_sim/stats` answers them.
    public var json: String { DocumentedJSON.encode(self) }

    private enum CodingKeys: String, CodingKey {
        case listRequests = "list_requests", received, authorized, expiredToken = "expired_token", apiConnections = "api_connections"
        case datasources, datamartRequestsExpanded = "datamart_requests_expanded", nonGetRequests = "non_get_requests"
        case healthRequests = "health_requests", healthWithAuthorization = "health_with_authorization", rateLimited = "rate_limited"
    }
}
