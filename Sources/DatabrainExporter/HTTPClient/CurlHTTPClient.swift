import CCurl
import Dispatch
import Synchronization

/// Settings fixed for the lifetime of a client (one per target).
public struct CurlClientSettings: Sendable {
    /// PEM bundle of CAs to trust instead of the system store.
    public var caFile: String?
    /// Skip certificate and host name verification. Dangerous; for test installations only.
    public var insecureSkipVerify: Bool
    /// Sent as `User-Agent`.
    public var userAgent: String

    /// Creates settings.
    public init(caFile: String? = nil, insecureSkipVerify: Bool = false, userAgent: String) {
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
        self.userAgent = userAgent
    }
}

/// An HTTP client over one reused libcurl easy handle.
///
/// Reusing the handle keeps the connection alive across pages and polls. `curl_easy_perform`
/// blocks, so every transfer runs on this client's own serial dispatch queue: never on the Swift
/// concurrency pool (2 threads here), and never two transfers on the handle at once. A caller that
/// makes several transfers in a row (a paginated poll) does so in one ``CurlSession``.
/// Redirects are not followed: the caller decides, so the token never goes to another origin.
public final class CurlHTTPClient: HTTPSessionProvider, @unchecked Sendable {
    // The handle is only touched on `queue`: that confinement is what makes this class Sendable.
    private let handle: UnsafeMutableRawPointer
    private let queue: DispatchQueue
    private let settings: CurlClientSettings

    /// Creates a client with its own easy handle.
    public init(settings: CurlClientSettings, label: String) {
        CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        self.handle = handle
        self.settings = settings
        self.queue = DispatchQueue(label: "databrain.curl.\(label)")
    }

    deinit {
        // Every queued transfer retains self, so none can be running by the time deinit runs.
        curl_easy_cleanup(handle)
    }

    /// Runs `body` on this client's queue, where it makes its transfers synchronously through the
    /// session. Cancelling the calling task returns `whenCancelled` at once; the transfer in flight
    /// aborts in the background at libcurl's next progress tick and no other one starts.
    public func withSession<Value: Sendable>(
        whenCancelled: Value, _ body: @escaping @Sendable (any HTTPTransport) -> Value
    ) async -> Value {
        let session = CurlSession(client: self)
        let completion = CompletionOnce<Value>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                completion.install(continuation)
                queue.async {
                    completion.resume(with: body(session))
                }
            }
        } onCancel: {
            session.cancel()
            completion.resume(with: whenCancelled)
        }
    }

    // MARK: - On the queue

    func perform(_ request: HTTPRequest, transfer: CurlTransfer) -> Result<HTTPResponse, TransportFailure> {
        dispatchPrecondition(condition: .onQueue(queue))
        curl_easy_reset(handle)  // keeps live connections and caches, clears options
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        for line in request.headers { headerList = curl_slist_append(headerList, line) }
        defer { curl_slist_free_all(headerList) }

        let context = Unmanaged.passRetained(transfer)
        defer { context.release() }
        let contextPointer = context.toOpaque()

        configureCommonOptions()
        setString(CURLOPT_URL, request.url)
        dbx_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        let timeoutMs = max(1, Int(request.timeout.wholeMilliseconds))
        dbx_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeoutMs)
        dbx_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxBodyBytes))
        dbx_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback)
        dbx_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, contextPointer)
        dbx_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
        dbx_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, contextPointer)
        dbx_easy_setopt_xferinfo_callback(handle, curlProgressCallback)
        dbx_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, contextPointer)
        dbx_easy_setopt_long(handle, CURLOPT_NOPROGRESS, 0)

        let code = curl_easy_perform(handle)
        let duration = totalTime()
        let collected = transfer.take()
        if let reason = CurlResultClassifier.reason(for: code, bodyCapExceeded: collected.bodyCapExceeded) {
            let detail = collected.bodyCapExceeded
                ? "response body exceeds the \(request.maxBodyBytes)-byte cap"
                : CurlResultClassifier.message(for: code)
            return .failure(TransportFailure(reason: transfer.isCancelled ? .network : reason, detail: detail, duration: duration))
        }
        var status = 0
        dbx_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var connects = 0
        dbx_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        var redirect: UnsafeMutablePointer<CChar>? = nil
        dbx_easy_getinfo_string(handle, CURLINFO_REDIRECT_URL, &redirect)
        return .success(HTTPResponse(
            status: status, headers: collected.headers, body: collected.body, duration: duration,
            redirectURL: redirect.map { String(cString: $0) }, connectionsOpened: connects))
    }

    private func configureCommonOptions() {
        // Signals are process-wide; libcurl must not use them from a worker thread.
        dbx_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        setString(CURLOPT_PROTOCOLS_STR, "http,https")
        dbx_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        setString(CURLOPT_USERAGENT, settings.userAgent)
        // "" = every encoding this libcurl decodes; the body cap applies to decoded bytes.
        setString(CURLOPT_ACCEPT_ENCODING, "")
        dbx_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        if let caFile = settings.caFile { setString(CURLOPT_CAINFO, caFile) }
        if settings.insecureSkipVerify {
            dbx_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            dbx_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        }
    }

    private func setString(_ option: CURLoption, _ value: String) {
        // libcurl copies string options (since 7.17), so the temporary C string may go away.
        _ = value.withCString { dbx_easy_setopt_string(handle, option, $0) }
    }

    private func totalTime() -> Duration {
        var micros: curl_off_t = 0
        dbx_easy_getinfo_off_t(handle, CURLINFO_TOTAL_TIME_T, &micros)
        return .microseconds(micros)
    }
}

/// Resumes a continuation exactly once, whichever of completion or cancellation comes first,
/// even when cancellation arrives before the continuation is installed.
final class CompletionOnce<Value: Sendable>: Sendable {
    private enum State {
        case waiting
        case installed(CheckedContinuation<Value, Never>)
        case resolvedEarly(Value)
        case done
    }
    private let state = Mutex<State>(.waiting)

    func install(_ continuation: CheckedContinuation<Value, Never>) {
        let early: Value? = state.withLock { state in
            switch state {
            case .waiting:
                state = .installed(continuation)
                return nil
            case .resolvedEarly(let value):
                state = .done
                return value
            case .installed, .done:
                preconditionFailure("continuation installed twice")
            }
        }
        if let early { continuation.resume(returning: early) }
    }

    func resume(with value: Value) {
        let continuation: CheckedContinuation<Value, Never>? = state.withLock { state in
            switch state {
            case .waiting:
                state = .resolvedEarly(value)
                return nil
            case .installed(let continuation):
                state = .done
                return continuation
            case .resolvedEarly, .done:
                return nil
            }
        }
        continuation?.resume(returning: value)
    }
}
