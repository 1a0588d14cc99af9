/// One GET request, as the exporter issues it.
public struct HTTPRequest: Sendable {
    /// The absolute URL, including the query string.
    public var url: String
    /// Extra header lines, `Name: value`. May carry a secret: never log them.
    public var headers: [String]
    /// The whole request (connect, send, receive) must finish within this.
    public var timeout: Duration
    /// Bodies larger than this are cut off and reported as ``RequestFailureReason/tooLarge``.
    public var maxBodyBytes: Int

    /// Creates a request.
    public init(url: String, headers: [String] = [], timeout: Duration, maxBodyBytes: Int) {
        self.url = url
        self.headers = headers
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }
}
