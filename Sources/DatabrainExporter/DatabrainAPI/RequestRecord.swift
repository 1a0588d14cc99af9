/// One HTTP exchange with the API, reported to the metrics as soon as it ends.
public struct RequestRecord: Sendable, Equatable {
    /// Which list it asked for: the `endpoint` label (`datasource`, `workspace`, …).
    public var endpoint: String
    /// The HTTP status, or nil when no response arrived.
    public var status: Int?
    /// How long the exchange took.
    public var duration: Duration
    /// Set when the exchange gave no usable answer (also for a 200 that failed to decode).
    public var failure: RequestFailureReason?
    /// New TCP connections this exchange opened (0 on a kept-alive connection).
    public var connectionsOpened: Int
    /// The answer rejected the token (``APIError/rejectsCredentials``), whatever its status.
    public var rejectedCredentials: Bool
    /// Items of a decoded page left out for want of their identity (``ListPage/skipped``).
    public var itemsSkipped: Int

    /// Creates a record.
    public init(endpoint: String = ListEndpoint<String>.datasources.label, status: Int?, duration: Duration, failure: RequestFailureReason?,
                connectionsOpened: Int = 0, rejectedCredentials: Bool = false, itemsSkipped: Int = 0) {
        self.endpoint = endpoint
        self.status = status
        self.duration = duration
        self.failure = failure
        self.connectionsOpened = connectionsOpened
        self.rejectedCredentials = rejectedCredentials
        self.itemsSkipped = itemsSkipped
    }
}

extension RequestRecord {
    /// The record of a response to `endpoint` that arrived; `failure` is set when it was still unusable.
    init(_ response: HTTPResponse, endpoint: String, failure: RequestFailureReason?, rejectedCredentials: Bool = false, itemsSkipped: Int = 0) {
        self.init(endpoint: endpoint, status: response.status, duration: response.duration, failure: failure,
                  connectionsOpened: response.connectionsOpened, rejectedCredentials: rejectedCredentials, itemsSkipped: itemsSkipped)
    }
}
