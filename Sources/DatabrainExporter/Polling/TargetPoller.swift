import FoundationEssentials
import Logging

/// Polls one target forever: first poll at once, then on its ``PollSchedule``.
///
/// A failed poll keeps the last good datasource list (an outage must not look like every
/// datasource vanishing) and only `databrain_up` drops. Logs one line per change of state,
/// not one per failed poll.
public struct TargetPoller: Sendable {
    /// The target's configuration.
    public let config: TargetConfig
    private let http: any HTTPTransport
    private let fetcher: ListFetcher<String>
    /// Databrain's health endpoints, probed after each poll (nil: turned off).
    private let prober: HealthProber?
    private let token: TokenSource
    private let recorder: PollRecorder
    private let logger: Logger

    /// Creates a poller that makes its requests through `http` (``PollerFactory`` gives the real one).
    public init(config: TargetConfig, metrics: TargetMetrics, board: TargetStatusBoard, logger: Logger, http: any HTTPTransport) {
        self.config = config
        self.http = http
        self.fetcher = ListFetcher(
            settings: FetchSettings(
                baseURL: config.url, paginate: config.paginate, maxPages: config.maxPages,
                timeout: config.timeout, maxBodyBytes: config.maxBodyBytes),
            endpoint: .datasources)
        self.prober = config.health
            ? HealthProber(baseURL: config.url, pathPrefix: config.healthPathPrefix, timeout: config.timeout, maxBodyBytes: config.maxBodyBytes)
            : nil
        self.token = TokenSource(config.token)
        self.recorder = PollRecorder(config: config, metrics: metrics, board: board)
        var logger = logger
        logger[metadataKey: "target"] = "\(config.name)"
        self.logger = logger
    }

    /// Polls until the task is cancelled.
    public func run() async {
        var schedule = PollSchedule(interval: config.interval)
        var lastState: String? = nil
        while !Task.isCancelled {
            let failure = await pollOnce()
            if failure == .cancelled { return }
            lastState = logTransition(from: lastState, failure: failure)
            let delay = schedule.delay(after: failure)
            if failure?.callsForBackoff == true {
                logger.debug("backing off", metadata: ["delay": "\(GoDuration.format(delay))"])
            }
            do { try await Task.sleep(for: delay) } catch { return }
        }
    }

    /// Runs one poll and records it, then probes the health endpoints (the engine reuses the
    /// connection); returns the poll's failure, or nil on success. The poll is recorded before the
    /// probes start, so they never delay or fail it. A cancelled task (shutdown, restart, removal)
    /// returns `.cancelled` at once and records nothing after the cancellation.
    @discardableResult
    public func pollOnce() async -> PollFailure? {
        let clock = ContinuousClock()
        let started = clock.now
        let result: Result<[String], PollFailure>
        switch token.read() {
        case .failure(let failure): result = .failure(failure)
        case .success(let token): result = await fetcher.fetchAll(transport: http, token: token) { recorder.request($0) }
        }
        if Task.isCancelled { return .cancelled }
        let failure = record(result, elapsed: started.duration(to: clock.now))
        if let prober, failure != .cancelled {
            let probes = await prober.probe(transport: http)
            if Task.isCancelled { return .cancelled }
            recorder.probed(probes)
        }
        return failure
    }

    private func record(_ result: Result<[String], PollFailure>, elapsed: Duration) -> PollFailure? {
        let now = Date()
        switch result {
        case .failure(.cancelled):
            return .cancelled  // shutting down: this poll never finished, record nothing
        case .success(let names):
            let count = recorder.succeeded(names: names, elapsed: elapsed, at: now)
            logger.debug("poll succeeded", metadata: ["datasources": "\(count)", "duration": "\(GoDuration.format(elapsed))"])
            return nil
        case .failure(let failure):
            recorder.failed(failure, elapsed: elapsed, at: now)
            logger.debug("poll failed", metadata: ["error": "\(failure.summary)", "duration": "\(GoDuration.format(elapsed))"])
            return failure
        }
    }

    private func logTransition(from previous: String?, failure: PollFailure?) -> String {
        let state = failure?.stateKey ?? "up"
        guard state != previous else { return state }
        if let failure {
            logger.warning("poll failed; keeping the last good datasource list", metadata: ["error": "\(failure.summary)"])
        } else {
            logger.info(previous == nil ? "first poll succeeded" : "poll recovered", metadata: ["datasources": "\(recorder.datasourceCount ?? 0)"])
        }
        return state
    }
}
