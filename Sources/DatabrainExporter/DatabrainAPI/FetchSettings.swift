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

    /// The URL of one page of the list at `path`, with the list's fixed `query` items after the paging ones.
    func url(_ path: String, query: String = "", page: Int) -> String {
        "\(baseURL.trimmingTrailingSlashes())\(path)?\(Pagination.query(paginate: paginate, page: page))\(query.isEmpty ? "" : "&" + query)"
    }
}
