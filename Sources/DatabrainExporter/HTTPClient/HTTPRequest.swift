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
    /// Asked at the last moment before the request goes on the wire (when the engine takes it,
    /// and again once its connection is ready): false holds it back, and the transfer ends as a
    /// ``TransportFailure`` with ``TransportFailure/heldBack`` set, having sent nothing. The
    /// budget uses it so that a pause holds requests already handed to the engine.
    public var mayStart: (@Sendable () -> Bool)?

    /// Creates a request.
    public init(url: String, headers: [String] = [], timeout: Duration, maxBodyBytes: Int) {
        self.url = url
        self.headers = headers
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }
}
