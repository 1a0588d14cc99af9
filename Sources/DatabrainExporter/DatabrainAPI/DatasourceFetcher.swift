// DatabrainAPI/ owns Databrain's contract: URLs, pagination, redirects, decoding, error
// classification, Retry-After, the health endpoints. It speaks HTTP only through HTTPTransport
// and never touches libcurl, metrics or the schedule; what it returns, the poller records.

/// How one target is fetched.
public struct FetchSettings: Sendable, Equatable {
    /// Base URL without the API path, e.g. `https://api.usedatabrain.com`.
    public var baseURL: String
    /// Request `isPagination=true` and walk the pages.
    public var paginate: Bool
    /// Upper bound on pages per poll; reaching it fails the poll.
    public var maxPages: Int
    /// Per-request timeout.
    public var timeout: Duration
    /// Per-response body cap in bytes.
    public var maxBodyBytes: Int

    /// Same-origin redirects followed per request before giving up.
    public static let maxRedirects = 3

    /// Creates settings.
    public init(baseURL: String, paginate: Bool, maxPages: Int, timeout: Duration, maxBodyBytes: Int) {
        self.baseURL = baseURL
        self.paginate = paginate
        self.maxPages = maxPages
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }

    /// The datasource list URL for one page.
    func url(page: Int) -> String {
        "\(baseURL.trimmingTrailingSlashes())/api/v2/datasource?\(Pagination.query(paginate: paginate, page: page))"
    }
}

/// Fetches a target's complete datasource list: pagination, redirects, decoding, error classification.
/// Its requests go through the target's transport one after another (the engine keeps the
/// connection alive between them, and between polls).
public struct DatasourceFetcher: Sendable {
    /// The settings this fetcher was built with.
    public let settings: FetchSettings

    /// Creates a fetcher.
    public init(settings: FetchSettings) {
        self.settings = settings
    }

    /// Fetches every page, one after another through `transport`. `record` is called once per
    /// HTTP exchange, as it ends. A cancelled task gets `.cancelled` and records nothing more.
    func fetchAll(transport: some HTTPTransport, token: String, record: (RequestRecord) -> Void) async -> Result<[String], PollFailure> {
        guard settings.paginate else {
            return await fetchPage(1, transport: transport, token: token, record: record)
        }
        var names: [String] = []
        for page in 1...max(1, settings.maxPages) {
            switch await fetchPage(page, transport: transport, token: token, record: record) {
            case .failure(let failure):
                return .failure(failure)
            case .success(let pageNames):
                names.append(contentsOf: pageNames)
                if Pagination.isLastPage(itemCount: pageNames.count) { return .success(names) }
            }
        }
        return .failure(.pageLimit(settings.maxPages))
    }

    private func fetchPage(_ page: Int, transport: some HTTPTransport, token: String, record: (RequestRecord) -> Void) async -> Result<[String], PollFailure> {
        var url = settings.url(page: page)
        var redirects = 0
        while true {
            let request = HTTPRequest(
                url: url, headers: ["Authorization: Bearer \(token)", "Accept: application/json"],
                timeout: settings.timeout, maxBodyBytes: settings.maxBodyBytes)
            let response: HTTPResponse
            switch await transport.get(request) {
            case .failure(let failure):
                if Task.isCancelled { return .failure(.cancelled) }
                record(RequestRecord(status: nil, duration: failure.duration, failure: failure.reason))
                return .failure(.transport(failure.reason, failure.detail))
            case .success(let received):
                response = received
            }
            if (300...399).contains(response.status), let next = response.redirectURL {
                guard SameOrigin.matches(url, next) else {
                    record(RequestRecord(response, failure: .redirect))
                    let destination = SameOrigin.origin(of: next) ?? "an unparseable URL"
                    return .failure(.redirect("HTTP \(response.status) to \(destination) not followed: the token is only sent to \(SameOrigin.origin(of: url) ?? url)"))
                }
                guard redirects < FetchSettings.maxRedirects else {
                    record(RequestRecord(response, failure: .redirect))
                    return .failure(.redirect("more than \(FetchSettings.maxRedirects) redirects"))
                }
                record(RequestRecord(response, failure: nil))
                redirects += 1
                url = next
                continue
            }
            guard (200...299).contains(response.status) else {
                record(RequestRecord(response, failure: nil))
                let error = APIError.classify(status: response.status, body: response.body)
                return .failure(.api(error, retryAfter: RetryAfter.parse(response.header("Retry-After"))))
            }
            switch DatasourceListDecoder.decode(response.body) {
            case .success(let names):
                record(RequestRecord(response, failure: nil))
                return .success(names)
            case .failure(let failure):
                record(RequestRecord(response, failure: .decode))
                return .failure(.decode(failure.message))
            }
        }
    }
}
