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
    private let fetcher: DatasourceFetcher
    private let token: TokenSource
    private let metrics: TargetMetrics
    private let board: TargetStatusBoard
    private let logger: Logger

    /// Creates a poller with its own libcurl handle.
    public init(config: TargetConfig, metrics: TargetMetrics, board: TargetStatusBoard, logger: Logger) {
        self.config = config
        let http = CurlHTTPClient(
            settings: CurlClientSettings(caFile: config.caFile, insecureSkipVerify: config.insecureSkipVerify, userAgent: BuildInfo.userAgent),
            label: config.name)
        self.fetcher = DatasourceFetcher(
            http: http,
            settings: FetchSettings(
                baseURL: config.url, paginate: config.paginate, maxPages: config.maxPages,
                timeout: config.timeout, maxBodyBytes: config.maxBodyBytes))
        self.token = TokenSource(config.token)
        self.metrics = metrics
        self.board = board
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

    /// Runs one poll and records it; returns the failure, or nil on success.
    @discardableResult
    public func pollOnce() async -> PollFailure? {
        let clock = ContinuousClock()
        let started = clock.now
        let result: Result<[String], PollFailure>
        switch token.read() {
        case .failure(let failure):
            result = .failure(failure)
        case .success(let token):
            result = await fetcher.fetchAll(token: token) { metrics.record($0) }
        }
        let elapsed = started.duration(to: clock.now)
        let now = Date()
        switch result {
        case .failure(.cancelled):
            return .cancelled  // shutting down: this poll never finished, record nothing
        case .success(let names):
            let count = metrics.pollSucceeded(names: names, duration: elapsed, at: now)
            board.recordSuccess(target: config.name, datasources: count, at: now)
            logger.debug("poll succeeded", metadata: ["datasources": "\(count)", "duration": "\(GoDuration.format(elapsed))"])
            return nil
        case .failure(let failure):
            metrics.pollFailed(duration: elapsed)
            board.recordFailure(target: config.name, message: failure.summary, at: now)
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
            logger.info(previous == nil ? "first poll succeeded" : "poll recovered", metadata: ["datasources": "\(board.datasourceCount(target: config.name) ?? 0)"])
        }
        return state
    }
}
