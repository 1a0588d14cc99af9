import CCurl
import Locking
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Every HTTP transfer of the process, on libcurl's multi interface, driven by one thread.
///
/// A blocking `curl_easy_perform` per target parks a thread per waiting transfer: at a few
/// hundred hanging targets the pool is exhausted, healthy targets wait behind hanging ones, and
/// shutdown waits for timeouts. Here a transfer in flight costs a socket and a small object, not
/// a thread; the waiting task is suspended, and cancelling it removes the transfer from the multi
/// handle at once.
///
/// Transfers to the same origin share the multi handle's connection pool and DNS cache, TLS
/// sessions through a share handle, and one multiplexed HTTP/2 connection where the server offers
/// it over TLS. One thread sleeps in `curl_multi_poll`; callers submit from any thread through a
/// locked queue and wake it with `curl_multi_wakeup`, so libcurl's handles are only ever touched
/// on the engine's thread.
public final class CurlEngine: @unchecked Sendable {
    private enum Operation {
        case start(CurlJob)
        case cancel(CurlJob)
    }

    private struct Inbox {
        var operations: [Operation] = []
        var stopping = false
    }

    /// Idle connections the pool keeps across polls (libcurl closes the oldest beyond this).
    static let maxIdleConnections = 256
    /// Easy handles kept for reuse; beyond this a finished transfer's handle is freed.
    static let maxIdleHandles = 64

    private let multi: UnsafeMutableRawPointer
    private let share: UnsafeMutableRawPointer?
    private let shareLocks: UnsafeMutableRawPointer?
    private let inbox = Locked(Inbox())
    private let inFlight = Atomic<Int>(0)
    private var thread = pthread_t()

    // Only on the engine's thread.
    private var active: [UnsafeMutableRawPointer: CurlJob] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    /// Creates the engine and starts its thread.
    public init() {
        CurlGlobal.ensureInitialized()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.multi = multi
        dbx_multi_setopt_long(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX)
        dbx_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, Self.maxIdleConnections)
        var locks: UnsafeMutableRawPointer? = nil
        share = dbx_share_ssl_sessions(&locks)  // nil only out of memory: then no TLS session sharing
        shareLocks = locks
        // The thread holds the engine until shutdown() ends its loop.
        let retained = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(&thread, nil, { argument in
            let engine = Unmanaged<CurlEngine>.fromOpaque(argument!).takeRetainedValue()
            dbx_name_this_thread("curl-engine")
            engine.run()
            return nil
        }, retained)
        precondition(created == 0, "cannot start the curl engine thread: \(created)")
    }

    /// Transfers in the multi handle now: how CurlEngineTests see a transfer start and leave
    /// without a clock (one relaxed store per start and remove).
    var transfersInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Performs `request` with `settings` and returns its outcome. Cancelling the calling task
    /// removes the transfer from the multi handle and returns a `cancelled` failure at once.
    func perform(_ request: HTTPRequest, settings: CurlClientSettings) async -> CurlJob.Outcome {
        let job = CurlJob(request: request, settings: settings)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                job.continuation = continuation
                if !submit(.start(job)) { continuation.resume(returning: .failure(CurlJob.cancelled)) }
            }
        } onCancel: {
            job.cancelRequested.store(true, ordering: .sequentiallyConsistent)
            _ = submit(.cancel(job))
        }
    }

    /// Fails every transfer in flight as cancelled, stops the thread and frees libcurl's handles.
    /// Later requests fail at once. Waits for the thread, which never waits on the network.
    public func shutdown() {
        let first: Bool = inbox.withLock { inbox in
            defer { inbox.stopping = true }
            return !inbox.stopping
        }
        guard first else { return }
        curl_multi_wakeup(multi)
        pthread_join(thread, nil)
        curl_multi_cleanup(multi)
        if let share, let shareLocks { dbx_share_release(share, shareLocks) }
    }

    /// Queues an operation for the engine's thread and wakes it; false once shutting down.
    private func submit(_ operation: Operation) -> Bool {
        let accepted: Bool = inbox.withLock { inbox in
            guard !inbox.stopping else { return false }
            inbox.operations.append(operation)
            return true
        }
        if accepted { curl_multi_wakeup(multi) }
        return accepted
    }

    // MARK: - On the engine's thread

    private func run() {
        var running: Int32 = 0
        while true {
            let (operations, stopping) = inbox.withLock { inbox in
                defer { inbox.operations.removeAll(keepingCapacity: true) }
                return (inbox.operations, inbox.stopping)
            }
            for operation in operations {
                switch operation {
                case .start(let job): start(job)
                case .cancel(let job): cancel(job)
                }
            }
            if stopping { break }
            curl_multi_perform(multi, &running)
            collectFinished()
            // Returns on socket activity, libcurl's own next timeout, a wakeup, or after 1 s.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for job in Array(active.values) { remove(job, outcome: .failure(CurlJob.cancelled)) }
        for easy in idleHandles { curl_easy_cleanup(easy) }
        idleHandles.removeAll()
    }

    private func start(_ job: CurlJob) {
        guard !job.cancelRequested.load(ordering: .sequentiallyConsistent) else {
            job.finish(.failure(CurlJob.cancelled))
            return
        }
        // Queued while a pause began: no connection, no request.
        if job.request.mayStart?() == false {
            job.finish(.failure(.held(after: .zero)))
            return
        }
        guard let easy = idleHandles.popLast() ?? curl_easy_init() else {
            job.finish(.failure(TransportFailure(reason: .network, detail: "curl_easy_init failed: out of memory", duration: .zero)))
            return
        }
        job.configure(easy, share: share)
        let added = curl_multi_add_handle(multi, easy)
        guard added == CURLM_OK else {
            recycle(easy)
            job.finish(.failure(TransportFailure(reason: .network, detail: String(cString: curl_multi_strerror(added)), duration: .zero)))
            return
        }
        job.easy = easy
        active[easy] = job
        inFlight.store(active.count, ordering: .relaxed)
    }

    /// A cancelled job leaves the multi handle now; one already finished (or not started) is left alone.
    private func cancel(_ job: CurlJob) {
        guard let easy = job.easy, active[easy] === job else { return }
        remove(job, outcome: .failure(CurlJob.cancelled))
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle, let job = active[easy] else { continue }
            let code = message.pointee.data.result  // read before the handle leaves: the message goes with it
            remove(job, outcome: job.outcome(code: code, easy: easy))
        }
    }

    private func remove(_ job: CurlJob, outcome: CurlJob.Outcome) {
        guard let easy = job.easy else { return }
        curl_multi_remove_handle(multi, easy)
        active[easy] = nil
        inFlight.store(active.count, ordering: .relaxed)
        recycle(easy)
        job.finish(outcome)
    }

    private func recycle(_ easy: UnsafeMutableRawPointer) {
        if idleHandles.count < Self.maxIdleHandles { idleHandles.append(easy) } else { curl_easy_cleanup(easy) }
    }
}
