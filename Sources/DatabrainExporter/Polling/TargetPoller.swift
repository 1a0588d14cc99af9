import FoundationEssentials
import Logging

/// Polls one target forever: first poll at once (or when a backoff its last poller began ends),
/// then on its ``PollSchedule``.
///
/// A failed poll keeps the last good datasource list (an outage must not look like every
/// datasource vanishing) and only `databrain_up` drops. Logs one line per change of state,
/// not one per failed poll.
public struct TargetPoller: Sendable {
    /// The target's configuration.
    public let config: TargetConfig
    private let http: any HTTPTransport
    /// The collectors turned on for the target, in run order: the required one first.
    private let collectors: [(name: CollectorName, collector: any Collector)]
    /// What outlives this poller: the claim it records under, the backoff and the logged states.
    private let slot: TargetSlot
    /// Databrain's health endpoints, probed after each poll (nil: turned off).
    private let prober: HealthProber?
    /// The rounds of health probes every target of an instance shares (nil: this poller probes alone).
    private let healthProbes: HealthProbeCache?
    private let token: TokenSource
    private let recorder: PollRecorder
    private let logger: Logger
    /// What the schedule sleeps on (a clock the test moves, in tests).
    private let clock: any PollClock

    /// Creates a poller that makes its requests through `http` (``PollerFactory`` gives the real one).
    public init(config: TargetConfig, slot: TargetSlot, board: TargetStatusBoard, logger: Logger, http: any HTTPTransport,
                clock: any PollClock = SystemPollClock(), healthProbes: HealthProbeCache? = nil) {
        self.config = config
        self.slot = slot
        self.healthProbes = healthProbes
        self.http = http
        self.clock = clock
        let settings = FetchSettings(
            baseURL: config.url, paginate: config.paginate, maxPages: config.maxPages,
            timeout: config.timeout, maxBodyBytes: config.maxBodyBytes)
        self.collectors = (Set(config.collectors).union([.required])).sorted().map { name in
            (name, name.definition.make(CollectorContext(fetch: settings, settings: config.collectorSettings[name] ?? [:])))
        }
        self.prober = config.health
            ? HealthProber(baseURL: config.url, pathPrefix: config.healthPathPrefix, timeout: config.timeout, maxBodyBytes: config.maxBodyBytes)
            : nil
        self.token = TokenSource(config.token)
        self.recorder = slot.claim(config: config, board: board)
        var logger = logger
        logger[metadataKey: "target"] = "\(config.name)"
        self.logger = logger
    }

    /// Polls until the task is cancelled. A poller that replaces one in a backoff (a reload
    /// restarted it) waits for that backoff to end: a reload must not poll a failing API at once.
    public func run() async {
        if let ends = slot.backoffEnds, ends > clock.now {
            do { try await clock.sleep(until: ends) } catch { return }
        }
        while !Task.isCancelled {
            guard let report = await pollAndRecord() else { return }
            let delay = slot.nextPoll(after: report.failure, interval: config.interval, now: clock.now)
            if report.failure?.callsForBackoff == true {
                logger.debug("backing off", metadata: ["delay": "\(GoDuration.format(delay))"])
            }
            do { try await clock.sleep(for: delay) } catch { return }
        }
    }

    /// Runs one poll: the datasource list, then each inventory collector turned on (a failure
    /// stays in its collector and never stops the others), then the health probes; records the
    /// whole poll as one ``PollReport`` and returns the datasource list's failure, or nil. A 429
    /// (or a 503 with Retry-After) ends the poll there: the origin is paused for every target. A
    /// cancelled task (shutdown, restart, removal) returns `.cancelled` at once and records nothing
    /// of the poll.
    @discardableResult
    public func pollOnce() async -> PollFailure? {
        guard let report = await pollAndRecord() else { return .cancelled }
        return report.failure
    }

    /// One poll, recorded and logged; nil when the task was cancelled during it.
    private func pollAndRecord() async -> PollReport? {
        guard let report = await poll() else { return nil }
        recorder.record(report)
        switch report.required.result {
        case .success(let listing):
            logger.debug("poll succeeded", metadata: ["datasources": "\(listing.count ?? 0)", "duration": "\(GoDuration.format(report.duration))"])
        case .failure(let failure):
            logger.debug("poll failed", metadata: ["error": "\(failure.summary)", "duration": "\(GoDuration.format(report.duration))"])
        }
        logTransition(report)
        let tokenRejected = report.failure?.reason == "credentials"
        for run in report.runs where !run.collector.isRequired { logCollector(run, tokenRejected: tokenRejected) }
        for run in report.runs { logItems(run) }
        return report
    }

    /// The poll's report, or nil when the task was cancelled during it.
    private func poll() async -> PollReport? {
        let pollStarted = ContinuousClock.now
        var runs: [PollReport.Run] = []
        var paused = false
        switch token.read() {  // once per poll, for every collector
        case .failure(let failure):
            runs = [PollReport.Run(collector: .required, result: .failure(failure), duration: .zero)]
        case .success(let token):
            var context = PollContext()
            for (name, collector) in collectors {
                let started = ContinuousClock.now
                let result = await collector.collect(transport: http, token: token, poll: context) { recorder.request($0) }
                if Task.isCancelled { return nil }
                if case .success(let listing) = result { context.listings[name] = listing }
                runs.append(PollReport.Run(collector: name, result: result, duration: started.duration(to: .now)))
                // A rate limit pauses the whole origin: the rest of this poll would only wait it
                // out and hold back the report. What did not run keeps its last state.
                paused = runs.last!.failure?.pausesTheOrigin == true
                if paused { break }
            }
        }
        var probes: [HealthProber.Probe]? = nil
        if let prober, !paused {
            if let healthProbes {
                probes = await healthProbes.probes(prober, tls: "\(config.caFile ?? "")\u{0}\(config.insecureSkipVerify)",
                                                   interval: config.interval, transport: http)
            } else {
                probes = await prober.probe(transport: http)
            }
            if Task.isCancelled { return nil }
        }
        return PollReport(time: Date(), duration: pollStarted.duration(to: .now), runs: runs, health: probes)
    }

    /// One line when an inventory collector starts failing or recovers, not one per poll. A token
    /// that may not read the list (401, 403, 404) is said to be that, with how to stop asking;
    /// unless the datasource list rejected the same token in the same poll: then the token itself
    /// is the cause, and turning collectors off would fix nothing.
    private func logCollector(_ run: PollReport.Run, tokenRejected: Bool) {
        let name = run.collector, failure = run.failure
        guard let previous = slot.logged.update(name.rawValue, failure?.stateKey ?? "up") else { return }
        if let failure {
            var metadata: Logger.Metadata = ["collector": "\(name.rawValue)", "error": "\(failure.summary)"]
            if case .api(let error, _) = failure, let hint = name.definition.hint(error, name) {
                metadata["hint"] = "\(hint)"
            } else if !name.definition.usesToken {
                // Not the token's doing: the error says what went wrong.
            } else if case .api(let error, _) = failure, error.code == "EXPIRED_SERVICE_TOKEN" {
                // The token itself expired (its grace period may have ended mid-poll, after the
                // datasource list was read): turning the collector off would fix nothing.
                metadata["hint"] = "\(token.rejectionHint)"
            } else if failure.reason == "credentials", tokenRejected {
                metadata["hint"] = "the datasource list rejected the same token: see the target's poll failure"
            } else if case .api(let error, _) = failure, [401, 403, 404].contains(error.status) || error.rejectsCredentials {
                metadata["hint"] = "the token may not read this list; databrain_up is unaffected; --no-collector.\(name.rawValue) (or collectors: in --config.file) stops asking"
            }
            logger.warning("collector failed; its series keep their last values", metadata: metadata)
        } else if !previous.isEmpty {
            logger.info("collector recovered", metadata: ["collector": "\(name.rawValue)"])
        }
    }

    /// One line when a list starts or stops skipping items that lack their identity, and one per
    /// new remark about its answers (expanded datamarts), not one per poll.
    private func logItems(_ run: PollReport.Run) {
        guard case .success(let listing) = run.result else { return }
        let collector = run.collector.rawValue
        if let previous = slot.logged.update("skipped:" + collector, listing.skipped > 0 ? "skipping" : "none") {
            if listing.skipped > 0 {
                logger.warning("items without their identity skipped; the rest of the list is used", metadata: [
                    "collector": "\(collector)", "skipped": "\(listing.skipped)",
                    "hint": "a name (an embed's embedId) is missing or empty in the API's answer; databrain_api_items_skipped_total counts them",
                ])
            } else if previous == "skipping" {
                logger.info("no item skipped any more", metadata: ["collector": "\(collector)"])
            }
        }
        if let notice = listing.notice, slot.logged.update("notice:" + collector, notice) != nil {
            logger.warning("\(notice)", metadata: ["collector": "\(collector)"])
        }
    }

    /// One line when the poll's outcome changes (the first poll, a failure of a new kind, a
    /// recovery), shared by ``run()`` and ``pollOnce()``.
    private func logTransition(_ report: PollReport) {
        guard let previous = slot.logged.update("poll", report.failure?.stateKey ?? "up") else { return }
        switch report.required.result {
        case .failure(let failure):
            var metadata: Logger.Metadata = ["error": "\(failure.summary)"]
            if failure.reason == "credentials" { metadata["hint"] = "\(token.rejectionHint)" }
            logger.warning("poll failed; keeping the last good datasource list", metadata: metadata)
        case .success(let listing):
            logger.info(previous.isEmpty ? "first poll succeeded" : "poll recovered", metadata: ["datasources": "\(listing.count ?? 0)"])
        }
    }
}
