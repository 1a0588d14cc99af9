// DatabrainAPI/ owns Databrain's contract: URLs, pagination, redirects, decoding, error
// classification, Retry-After, the health endpoints. It speaks HTTP only through HTTPTransport
// and never touches libcurl, metrics or the schedule; what it returns, the poller records.

/// Fetches one of the API's lists completely: pagination, redirects, decoding, error
/// classification. Its requests go through the target's transport one after another (the engine
/// keeps the connection alive between them, and between polls). Every list of the family takes
/// the same Bearer token and `isPagination`/`pageNumber` strings, 10 per page.
public struct ListFetcher<Item: Sendable>: Sendable {
    /// The settings this fetcher was built with.
    public let settings: FetchSettings
    /// Which list, and how its pages decode.
    public let endpoint: ListEndpoint<Item>

    /// Creates a fetcher of `endpoint`.
    public init(settings: FetchSettings, endpoint: ListEndpoint<Item>) {
        self.settings = settings
        self.endpoint = endpoint
    }

    /// Fetches every page, one after another through `transport`. `record` is called once per
    /// HTTP exchange, as it ends. A cancelled task gets `.cancelled` and records nothing more.
    /// The pages are joined into one: every usable item, and the skipped ones counted. Pagination
    /// stops on a short page as sent, skipped items included.
    func fetchAll(transport: some HTTPTransport, token: String, record: (RequestRecord) -> Void) async -> Result<ListPage<Item>, PollFailure> {
        guard settings.paginate else {
            return await fetchPage(1, transport: transport, token: token, record: record)
        }
        var list = ListPage<Item>(items: [])
        for page in 1...max(1, settings.maxPages) {
            switch await fetchPage(page, transport: transport, token: token, record: record) {
            case .failure(let failure):
                return .failure(failure)
            case .success(let next):
                list.append(next)
                if Pagination.isLastPage(itemCount: next.received) { return .success(list) }
            }
        }
        return .failure(.pageLimit(settings.maxPages))
    }

    private func fetchPage(_ page: Int, transport: some HTTPTransport, token: String, record: (RequestRecord) -> Void) async -> Result<ListPage<Item>, PollFailure> {
        var url = settings.url(endpoint.path, query: endpoint.query, page: page)
        var redirects = 0
        while true {
            let request = HTTPRequest(
                url: url, headers: ["Authorization: Bearer \(token)", "Accept: application/json"],
                timeout: settings.timeout, maxBodyBytes: settings.maxBodyBytes)
            let response: HTTPResponse
            switch await transport.get(request) {
            case .failure(let failure):
                if Task.isCancelled { return .failure(.cancelled) }
                record(RequestRecord(endpoint: endpoint.label, status: nil, duration: failure.duration, failure: failure.reason))
                return .failure(.transport(failure.reason, failure.detail))
            case .success(let received):
                response = received
            }
            if (300...399).contains(response.status), let next = response.redirectURL {
                guard SameOrigin.matches(url, next) else {
                    record(RequestRecord(response, endpoint: endpoint.label, failure: .redirect))
                    let destination = SameOrigin.origin(of: next) ?? "an unparseable URL"
                    return .failure(.redirect("HTTP \(response.status) to \(destination) not followed: the token is only sent to \(SameOrigin.origin(of: url) ?? url)"))
                }
                guard redirects < FetchSettings.maxRedirects else {
                    record(RequestRecord(response, endpoint: endpoint.label, failure: .redirect))
                    return .failure(.redirect("more than \(FetchSettings.maxRedirects) redirects"))
                }
                record(RequestRecord(response, endpoint: endpoint.label, failure: nil))
                redirects += 1
                url = next
                continue
            }
            guard (200...299).contains(response.status) else {
                let error = APIError.classify(status: response.status, body: response.body)
                record(RequestRecord(response, endpoint: endpoint.label, failure: nil, rejectedCredentials: error.rejectsCredentials))
                return .failure(.api(error, retryAfter: RetryAfter.parse(response.header("Retry-After"))))
            }
            switch endpoint.decode(response.body) {
            case .success(let page):
                record(RequestRecord(response, endpoint: endpoint.label, failure: nil, itemsSkipped: page.skipped))
                return .success(page)
            case .failure(let failure):
                record(RequestRecord(response, endpoint: endpoint.label, failure: .decode))
                return .failure(.decode(failure.message))
            }
        }
    }
}
