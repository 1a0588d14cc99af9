import Synchronization

/// A run of transfers on one ``CurlHTTPClient``'s queue, made synchronously one after another.
///
/// Hopping threads twice per page (to libcurl's queue and back to the Swift concurrency pool)
/// costs a wake-up per hop, which on a small machine made a paginated poll markedly slower than
/// curl fetching the same URLs. Inside a session the pages follow each other on the queue's
/// thread, and the poll hops only at its start and end (Benchmarks/polls.py measures it).
public final class CurlSession: HTTPTransport {
    private let client: CurlHTTPClient
    private let state = Mutex<(cancelled: Bool, current: CurlTransfer?)>((false, nil))

    init(client: CurlHTTPClient) {
        self.client = client
    }

    /// Whether the task that opened the session was cancelled; no further transfer will start.
    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Performs a GET on the client's handle and waits for it. Call only from the session's body.
    public func get(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure> {
        let transfer = CurlTransfer(maxBodyBytes: request.maxBodyBytes)
        let started: Bool = state.withLock { state in
            guard !state.cancelled else { return false }
            state.current = transfer
            return true
        }
        guard started else { return .failure(Self.cancelled) }
        defer { state.withLock { $0.current = nil } }
        return client.perform(request, transfer: transfer)
    }

    /// Stops the session: the transfer in flight aborts at libcurl's next progress tick.
    func cancel() {
        state.withLock { state in
            state.cancelled = true
            state.current?.cancel()
        }
    }

    static let cancelled = TransportFailure(reason: .network, detail: "cancelled", duration: .zero)
}
