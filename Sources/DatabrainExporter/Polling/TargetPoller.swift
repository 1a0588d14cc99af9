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
    /// The inventory collectors turned on for the target, run in order after the datasource list.
    private let collectors: [any InventoryCollector]
    /// The last state each inventory collector logged, so it logs changes, not every poll.
    private let collectorStates = CollectorStates()
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
        let settings = fetcher.settings
        self.collectors = config.collectors.sorted().compactMap { $0.makeCollector(settings: settings) }
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

    /// Runs one poll: the datasource list (recorded at once: it is what `databrain_up` reports),
    /// then each inventory collector turned on (recorded as each ends; a failure stays in its
    /// collector), then the health probes; returns the datasource list's failure, or nil. A
    /// cancelled task (shutdown, restart, removal) returns `.cancelled` at once and records nothing
    /// after the cancellation.
    @discardableResult
    public func pollOnce() async -> PollFailure? {
        let clock = ContinuousClock()
        let started = clock.now
        let result: Result<[String], PollFailure>
        let credentials = token.read()  // once per poll, for every collector
        switch credentials {
        case .failure(let failure): result = .failure(failure)
        case .success(let token): result = await fetcher.fetchAll(transport: http, token: token) { recorder.request($0) }
        }
        if Task.isCancelled { return .cancelled }
        let elapsed = started.duration(to: clock.now)
        let failure = record(result, elapsed: elapsed)
        recorder.collected(.datasources, result.map { InventoryListing(count: Set($0).count, rows: [:], identities: [:]) }, elapsed: elapsed)
        // The inventory: a failing collector never changes databrain_up and never stops the others.
        if case .success(let token) = credentials {
            let context = PollContext(datasources: (try? result.get()).map(Set.init))
            for collector in collectors {
                let begun = clock.now
                let listed = await collector.collect(transport: http, token: token, context: context) { recorder.request($0) }
                if Task.isCancelled { return .cancelled }
                recorder.collected(collector.name, listed, elapsed: begun.duration(to: clock.now))
                logCollector(collector.name, listed)
            }
        }
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

    /// One line when an inventory collector starts failing or recovers, not one per poll. A token
    /// that may not read the list (401, 403, 404) is said to be that, with how to stop asking.
    private func logCollector(_ name: CollectorName, _ result: Result<InventoryListing, PollFailure>) {
        let failure: PollFailure? = if case .failure(let failure) = result { failure } else { nil }
        guard let previous = collectorStates.update(name, failure?.stateKey ?? "up") else { return }
        if let failure {
            var metadata: Logger.Metadata = ["collector": "\(name.rawValue)", "error": "\(failure.summary)"]
            if case .api(let error, _) = failure, [401, 403, 404].contains(error.status) || error.rejectsCredentials {
                metadata["hint"] = "the token may not read this list; databrain_up is unaffected; --no-collector.\(name.rawValue) (or collectors: in --config.file) stops asking"
            }
            logger.warning("collector failed; its series keep their last values", metadata: metadata)
        } else if !previous.isEmpty {
            logger.info("collector recovered", metadata: ["collector": "\(name.rawValue)"])
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
