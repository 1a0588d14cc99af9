/// One HTTP exchange with the API, reported to the metrics as soon as it ends.
public struct RequestRecord: Sendable, Equatable {
    /// The HTTP status, or nil when no response arrived.
    public var status: Int?
    /// How long the exchange took.
    public var duration: Duration
    /// Set when the exchange gave no usable answer (also for a 200 that failed to decode).
    public var failure: RequestFailureReason?
    /// New TCP connections this exchange opened (0 on a kept-alive connection).
    public var connectionsOpened: Int

    /// Creates a record.
    public init(status: Int?, duration: Duration, failure: RequestFailureReason?, connectionsOpened: Int = 0) {
        self.status = status
        self.duration = duration
        self.failure = failure
        self.connectionsOpened = connectionsOpened
    }
}

extension RequestRecord {
    /// The record of a response that arrived; `failure` is set when it was still unusable.
    init(_ response: HTTPResponse, failure: RequestFailureReason?) {
        self.init(status: response.status, duration: response.duration, failure: failure, connectionsOpened: response.connectionsOpened)
    }
}
