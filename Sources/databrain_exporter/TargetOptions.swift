import ArgumentParser
import DatabrainExporter

/// The `--databrain.*` and `--poll.*` flags: one target, or the defaults of a config file's targets.
/// Every default is `TargetConfig.Defaults`'; nothing here repeats a value.
struct TargetOptions: ParsableArguments {
    @Option(name: .customLong("databrain.url"), help: "Base URL of the Databrain API (env DATABRAIN_URL; default: \(TargetConfig.Defaults.url)).")
    var url: String?

    @Option(name: .customLong("databrain.token-file"), help: "File holding the service token (env DATABRAIN_TOKEN_FILE).")
    var tokenFile: String?

    @Option(name: .customLong("databrain.target-name"), help: "Value of the target label (default: the URL's host).")
    var targetName: String?

    @Flag(name: .customLong("databrain.paginate"), help: "Fetch with isPagination=true, 10 per page, until a short page.")
    var paginate = TargetConfig.Defaults.paginate

    @Option(name: .customLong("databrain.max-pages"), help: "Pages per poll before giving up (counts as a failure).")
    var maxPages = TargetConfig.Defaults.maxPages

    @Option(name: .customLong("databrain.max-body-bytes"), help: "Largest response body accepted.")
    var maxBodyBytes = TargetConfig.Defaults.maxBodyBytes

    @Option(name: .customLong("databrain.ca-file"), help: "PEM file of CAs to trust for the API (self-hosted installations).")
    var caFile: String?

    @Flag(name: .customLong("databrain.insecure-skip-verify"), help: "Do not verify the API's TLS certificate. Exposes the token; test use only.")
    var insecureSkipVerify = false

    @Flag(name: .customLong("databrain.health"), inversion: .prefixedNo,
          help: "Probe Databrain's /health/live and /health/ready after each poll (no token sent; one round per interval per instance, shared by its targets).")
    var health = TargetConfig.Defaults.health

    @Option(name: .customLong("databrain.health-path-prefix"), help: "Put before /health/... (e.g. /api where the backend is mounted under a prefix).")
    var healthPathPrefix = TargetConfig.Defaults.healthPathPrefix

    @Option(name: .customLong("databrain.requests-per-minute"), help: "Requests per minute to one origin (scheme, host and port) across all its targets; a 429 pauses them all.")
    var requestsPerMinute = ExporterConfig.defaultRequestsPerMinute

    @Option(name: .customLong("poll.interval"), help: FlagValue.help("Time between polls, e.g. 60s, 1m30s.", default: TargetConfig.Defaults.interval),
            transform: GoDuration.parse)
    var interval = TargetConfig.Defaults.interval

    @Option(name: .customLong("poll.timeout"), help: FlagValue.help("Timeout of each API request; shorter than the interval.", default: TargetConfig.Defaults.timeout),
            transform: GoDuration.parse)
    var timeout = TargetConfig.Defaults.timeout

    /// The target these flags describe, with the environment's URL and token where flags give
    /// none. A file beats an inline token: it can rotate. Without any token the target's token is
    /// empty (config-file targets may bring their own; validation refuses an empty one).
    func target(environment: Environment) -> (target: TargetConfig, hasToken: Bool) {
        let url = self.url ?? environment.url ?? TargetConfig.Defaults.url
        let token: TokenSourceConfig? = (tokenFile ?? environment.tokenFile).map { .file($0) } ?? environment.token.map { .value($0) }
        let target = TargetConfig(
            name: targetName ?? TargetConfig.defaultName(for: url), url: url, token: token ?? .value(""),
            paginate: paginate, maxPages: maxPages, interval: interval, timeout: timeout, maxBodyBytes: maxBodyBytes,
            caFile: caFile, insecureSkipVerify: insecureSkipVerify, health: health, healthPathPrefix: healthPathPrefix)
        return (target, token != nil)
    }
}
