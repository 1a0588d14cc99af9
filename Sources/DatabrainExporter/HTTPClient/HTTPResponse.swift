/// A complete HTTP response: status, headers and the whole (decompressed) body.
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Response header fields in the order received (names as sent by the server).
    public var headers: [(name: String, value: String)]
    /// The body, after content decoding.
    public var body: [UInt8]
    /// Time from the start of the request to the last byte, as measured by libcurl.
    public var duration: Duration
    /// For a 3xx response, the absolute URL the server redirects to, resolved by libcurl.
    public var redirectURL: String?
    /// TCP connections libcurl had to open for this request (0 when a kept-alive one was reused).
    public var connectionsOpened: Int

    /// Creates a response.
    public init(
        status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        duration: Duration = .zero, redirectURL: String? = nil, connectionsOpened: Int = 0
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.duration = duration
        self.redirectURL = redirectURL
        self.connectionsOpened = connectionsOpened
    }

    /// The value of the first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
