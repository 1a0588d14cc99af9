import CCurl
import Synchronization

/// One transfer in the ``CurlEngine``: what was asked, who waits for it, and the easy handle
/// libcurl works on. After submission everything but ``cancelRequested`` is touched only on the
/// engine's thread, which is also the only place ``finish(_:)`` runs: the waiting task is resumed
/// exactly once, by construction.
final class CurlJob: @unchecked Sendable {
    typealias Outcome = Result<HTTPResponse, TransportFailure>

    /// What a cancelled transfer returns; the caller reports its own `.cancelled`.
    static let cancelled = TransportFailure(reason: .network, detail: "cancelled", duration: .zero)

    let request: HTTPRequest
    let settings: CurlClientSettings
    let transfer: CurlTransfer
    /// Set from any thread by the waiting task's cancellation handler, before it asks the engine
    /// to remove the transfer; a job that is not yet started is then finished instead of started.
    let cancelRequested = Atomic<Bool>(false)
    /// Set before submission, resumed by ``finish(_:)``.
    var continuation: CheckedContinuation<Outcome, Never>?
    /// The handle while the transfer is in the multi handle.
    var easy: UnsafeMutableRawPointer?
    /// Set on the engine's thread when ``HTTPRequest/mayStart`` held the request back at the wire.
    var heldBack = false
    private var headerList: UnsafeMutablePointer<curl_slist>?

    init(request: HTTPRequest, settings: CurlClientSettings) {
        self.request = request
        self.settings = settings
        self.transfer = CurlTransfer(maxBodyBytes: request.maxBodyBytes)
    }

    /// Sets every option of this transfer on `easy`, which is new or was used before (reset here).
    func configure(_ easy: UnsafeMutableRawPointer, share: UnsafeMutableRawPointer?) {
        curl_easy_reset(easy)  // clears the options; the multi handle keeps connections and DNS
        for line in request.headers { headerList = curl_slist_append(headerList, line) }
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        // Signals are process-wide; libcurl must not use them from the engine's thread.
        dbx_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        set(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        dbx_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)  // the caller decides: the token stays on its origin
        set(easy, CURLOPT_USERAGENT, settings.userAgent)
        // "" = every encoding this libcurl decodes; the body cap applies to decoded bytes.
        set(easy, CURLOPT_ACCEPT_ENCODING, "")
        dbx_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        // Over TLS, wait for a connection that can multiplex (HTTP/2, known from ALPN right after
        // the handshake) rather than open another to the origin. Not over cleartext: HTTP/1.1 never
        // multiplexes, and a connection that never answers would hold every later transfer back.
        if request.url.lowercased().hasPrefix("https:") { dbx_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1) }
        if let share { dbx_easy_setopt_pointer(easy, CURLOPT_SHARE, share) }
        if let caFile = settings.caFile { set(easy, CURLOPT_CAINFO, caFile) }
        if settings.insecureSkipVerify {
            dbx_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0)
            dbx_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0)
        }
        set(easy, CURLOPT_URL, request.url)
        dbx_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)
        dbx_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, max(1, Int(request.timeout.wholeMilliseconds)))
        dbx_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxBodyBytes))
        dbx_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback)
        dbx_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        dbx_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
        dbx_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
        if request.mayStart != nil {
            // The job outlives the transfer: the engine holds it while the handle is in the multi handle.
            dbx_easy_setopt_prereq_callback(easy, curlPrereqCallback)
            dbx_easy_setopt_pointer(easy, CURLOPT_PREREQDATA, Unmanaged.passUnretained(self).toOpaque())
        }
    }

    /// The response, or why there is none, of the transfer libcurl finished on `easy` with `code`.
    func outcome(code: CURLcode, easy: UnsafeMutableRawPointer) -> Outcome {
        var micros: curl_off_t = 0
        dbx_easy_getinfo_off_t(easy, CURLINFO_TOTAL_TIME_T, &micros)
        let duration = Duration.microseconds(micros)
        let collected = transfer.take()
        if heldBack { return .failure(.held(after: duration)) }
        if let reason = CurlResultClassifier.reason(for: code, bodyCapExceeded: collected.bodyCapExceeded) {
            let detail = collected.bodyCapExceeded
                ? "response body exceeds the \(request.maxBodyBytes)-byte cap"
                : CurlResultClassifier.message(for: code)
            return .failure(TransportFailure(reason: reason, detail: detail, duration: duration))
        }
        var status = 0
        dbx_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var connects = 0
        dbx_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &connects)
        var redirect: UnsafeMutablePointer<CChar>? = nil
        dbx_easy_getinfo_string(easy, CURLINFO_REDIRECT_URL, &redirect)
        return .success(HTTPResponse(
            status: status, headers: collected.headers, body: collected.body, duration: duration,
            redirectURL: redirect.map { String(cString: $0) }, connectionsOpened: connects))
    }

    /// Frees what the transfer held and resumes the waiting task. Engine thread only; once.
    func finish(_ outcome: Outcome) {
        curl_slist_free_all(headerList)
        headerList = nil
        easy = nil
        continuation?.resume(returning: outcome)
        continuation = nil
    }

    private func set(_ easy: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String) {
        // libcurl copies string options (since 7.17), so the temporary C string may go away.
        _ = value.withCString { dbx_easy_setopt_string(easy, option, $0) }
    }
}

/// CURLOPT_PREREQFUNCTION: libcurl calls it once the connection is ready and before the request
/// is sent, the last moment a request can still be held back with nothing on the wire.
let curlPrereqCallback: curl_prereq_callback = { userData, _, _, _, _ in
    guard let userData else { return CURL_PREREQFUNC_OK }
    let job = Unmanaged<CurlJob>.fromOpaque(userData).takeUnretainedValue()
    guard job.request.mayStart?() == false else { return CURL_PREREQFUNC_OK }
    job.heldBack = true
    return CURL_PREREQFUNC_ABORT
}
