/// Every metric the exporter serves: name, type, labels and HELP text in one place.
///
/// These names are a public API (the alert rules and the dashboards use them). The README's
/// metrics table is generated from ``all`` (`scripts/generate-metrics-table`), and
/// `MetricCatalogTests` fails when the table is stale or `/metrics` serves anything else.
enum MetricCatalog {
    private static func databrain(_ name: String, unit: String = "", _ kind: MetricDefinition.Kind, labels: String = "target", _ help: String) -> MetricDefinition {
        MetricDefinition(namespace: "databrain", metricName: name, unit: unit, kind: kind, labels: labels, help: help)
    }

    private static func process(_ name: String, unit: String, _ kind: MetricDefinition.Kind, _ help: String) -> MetricDefinition {
        MetricDefinition(namespace: "process", metricName: name, unit: unit, kind: kind, labels: "", help: help)
    }

    /// In the README's order: per target, health, the exporter itself, the process.
    static let all: [MetricDefinition] = [
        up, datasources, datasourceInfo, datasourceChanges, apiRequests, apiRequestFailures, apiAuthErrors, apiItemsSkipped, apiRequestDuration,
        apiConnectionsOpened, polls, pollFailures, lastPollFailure, pollDuration, lastSuccess,
        collectorUp, collectorDuration, workspaces, workspaceInfo, workspaceChanges,
        dataApps, dataAppInfo, dataAppEmbeds, dataAppChanges, embedInfo, embedUpdated, embedChanges,
        datamarts, datamartInfo, datamartDatasourceMissing, datamartChanges, hasuraHealth,
        throttleWait, requestBudget, requestsNeeded, rateLimitedUntil, rateLimitRequests, rateLimitWindow, rateLimitRemaining,
        healthLive, healthReady, healthCheckStatus, healthProbeDuration, healthProbeFailures,
        buildInfo, configReloadSuccessful, configReloadTimestamp, shardTargets, handlerRequests, handlerInFlight,
        processCPU, processResident, processVirtual, processVirtualMax, processOpenFDs, processMaxFDs, processStartTime, processThreads,
    ]

    // MARK: Per target, written by the poller

    static let up = databrain("up", .gauge, "1 if the last poll of the target fetched the complete datasource list, 0 if it failed (updated by the poller, not at scrape time): the state of the required collector, datasources, as databrain_collector_up{collector=\"datasources\"}.")
    static let datasources = databrain("datasources", .gauge, "Datasources (unique names) in the last successful poll of the target; kept through failed polls, absent before the first success (so a restart never records a drop to 0).")
    /// Rendered by an ``ObjectFamily``, not kept in swift-prometheus.
    static let datasourceInfo = databrain("datasource_info", .gauge, labels: "target, datasource", "1 for each datasource in the last successful poll of the target (not fetched at scrape time); the series disappears when the datasource does.")
    static let datasourceChanges = databrain("datasource_changes", unit: "total", .counter, labels: "target, change=`added`/`removed`", "Datasources added or removed between successive successful polls (the first poll is the baseline).")
    static let apiRequests = databrain("api_requests", unit: "total", .counter, labels: "target, endpoint=`datasource`/`workspace`/`data_app`/`datamart`/`hasura`, code", "HTTP responses from the Databrain API by endpoint and status code, counted by the background poller (not at scrape time); 200, 400, 401, 429 and 500 are exported at 0 from an endpoint's first poll.")
    static let apiRequestFailures = databrain("api_request_failures", unit: "total", .counter, labels: "target, endpoint, reason", "Requests to the Databrain API that gave no usable response, by endpoint and reason (timeout, connect, dns, tls, too_large, decode, redirect, network; all exported at 0), counted by the background poller.")
    static let apiAuthErrors = databrain("api_auth_errors", unit: "total", .counter, labels: "target, endpoint", "Answers that rejected the service token, whatever their status: 401 or 403, or a body whose code names the credentials (AUTHENTICATION_ERROR, EXPIRED_SERVICE_TOKEN, INVALID_DATA_APP_API_KEY, or any code with TOKEN or API_KEY in it); the data-app lists answer a bad token with 400, and an expired one may come as 400 or 401.")
    static let apiItemsSkipped = databrain("api_items_skipped", unit: "total", .counter, labels: "target, endpoint", "Items of successful pages left out because they lacked their identity (a datasource, workspace, data app or datamart without a name, an embed without an embedId); the rest of the page is used. A page in which no item has its identity fails as decode instead.")
    static let apiRequestDuration = databrain("api_request_duration", unit: "seconds", .histogram, labels: "target, endpoint", "Latency of each HTTP request to the Databrain API (one per page), by endpoint, as measured by the poller.")
    static let apiConnectionsOpened = databrain("api_connections_opened", unit: "total", .counter, "TCP connections opened to the Databrain API; stays flat while the kept-alive connection is reused.")
    static let polls = databrain("polls", unit: "total", .counter, "Polls of the target attempted by the background poller (each fetches every page).")
    static let pollFailures = databrain("poll_failures", unit: "total", .counter, "Polls of the target that failed to fetch the complete datasource list.")
    static let lastPollFailure = databrain("last_poll_failure", .gauge, labels: "target, reason", "1 for the reason the last poll of the target failed to fetch the datasource list, 0 for every other reason; all 0 after a successful poll. Reasons: credentials (the API rejected the token, whatever the status), token_file, rate_limited, server_error, http_error, timeout, connect, dns, tls, too_large, decode, redirect, network, page_limit. State of the last poll, for alerts that must name the current cause.")
    static let pollDuration = databrain("poll_duration", unit: "seconds", .gauge, "Duration of the last poll of the target, whole: every collector with all its pages, and the health probes (each collector's own is databrain_collector_duration_seconds).")
    static let lastSuccess = databrain("last_success_timestamp", unit: "seconds", .gauge, "Unix time of the last successful poll of the target (0 before the first).")

    // MARK: Per target and collector (each collector's own series, removed when it is turned off)

    static let collectorUp = databrain("collector_up", .gauge, labels: "target, collector", "1 if the collector's list was fetched completely at the last poll, 0 if not (its series keep their last good values); as node_scrape_collector_success.")
    static let collectorDuration = databrain("collector_duration", unit: "seconds", .gauge, labels: "target, collector", "How long the collector took at the last poll, all pages included.")
    static let workspaces = databrain("workspaces", .gauge, "Workspaces in the last successful poll of the workspaces collector; kept through failed polls, absent before the first success.")
    /// Rendered by an ``ObjectFamily``, not kept in swift-prometheus.
    static let workspaceInfo = databrain("workspace_info", .gauge, labels: "target, workspace", "1 for each workspace in the last successful poll of the workspaces collector; the series disappears when the workspace does.")
    static let workspaceChanges = databrain("workspace_changes", unit: "total", .counter, labels: "target, change=`added`/`removed`", "Workspaces added or removed between successive successful polls (the first poll is the baseline).")
    static let dataApps = databrain("data_apps", .gauge, "Embedded data apps in the last successful poll of the data_apps collector; kept through failed polls, absent before the first success.")
    /// Rendered by an ``ObjectFamily``, as are the other per-object families below.
    static let dataAppInfo = databrain("data_app_info", .gauge, labels: "target, data_app", "1 for each data app in the last successful poll of the data_apps collector; the series disappears when the data app does.")
    static let dataAppEmbeds = databrain("data_app_embeds", .gauge, labels: "target, data_app", "Embeds of each data app in the last successful poll: embedCount, the documented total, when the answer has it, else the length of its embeds list.")
    static let dataAppChanges = databrain("data_app_changes", unit: "total", .counter, labels: "target, change=`added`/`removed`", "Data apps added or removed between successive successful polls (the first poll is the baseline).")
    static let embedInfo = databrain("embed_info", .gauge, labels: "target, data_app, embed_id, embed", "1 for each embed (customer-facing dashboard or metric) of each data app in the last successful poll; the series disappears when the embed does.")
    static let embedUpdated = databrain("embed_updated_timestamp", unit: "seconds", .gauge, labels: "target, data_app, embed_id", "Unix time of each embed's updatedAt in the last successful poll (absent when the answer has none).")
    static let embedChanges = databrain("embed_changes", unit: "total", .counter, labels: "target, change=`added`/`removed`", "Embeds (by data app and embed_id) added or removed between successive successful polls (the first poll is the baseline).")
    static let datamarts = databrain("datamarts", .gauge, "Datamarts in the last successful poll of the datamarts collector; kept through failed polls, absent before the first success.")
    static let datamartInfo = databrain("datamart_info", .gauge, labels: "target, datamart, datasource", "1 for each datamart in the last successful poll, labelled with the datasource it is built on (companyIntegration.name; \"\" when the answer names none).")
    static let datamartDatasourceMissing = databrain("datamart_datasource_missing", .gauge, labels: "target, datamart, datasource", "1 if the datamart's datasource was not in the datasource list of the same poll, or the answer names no datasource for it (datasource=\"\"), else 0; computed only when both lists were fetched in that poll, else the last value is kept.")
    static let datamartChanges = databrain("datamart_changes", unit: "total", .counter, labels: "target, change=`added`/`removed`", "Datamarts added or removed between successive successful polls (the first poll is the baseline).")

    static let hasuraHealth = databrain("hasura_health", .gauge, labels: "target, state=`ok`/`warn`/`error`", "1 for the state Hasura's /healthz gave at the last poll of the hasura collector (ok: 200 OK; warn: 200 WARN, inconsistent metadata; error: 500 ERROR), 0 for the others; kept when there was no answer (see databrain_collector_up).")

    // MARK: Per origin (scheme://host:port): the request budget every target of it shares

    static let throttleWait = databrain("api_throttle_wait", unit: "seconds_total", .counter, labels: "origin", "Time requests to the origin waited for its request budget or for the pause a 429 or 503 with Retry-After imposed, summed over every target's requests.")
    static let requestBudget = databrain("api_request_budget_per_minute", .gauge, labels: "origin", "Requests per minute the exporter allows itself to the origin, across all its targets: the configured budget (--databrain.requests-per-minute, or origins: in --config.file), or 80% of the rate the server announces in its rate-limit headers when that is lower.")
    static let requestsNeeded = databrain("api_requests_needed_per_minute", .gauge, labels: "origin", "Requests per minute the configured targets of the origin ask for at least (one request per collector per poll, and, where probing is on, one round of two health probes per interval of the most frequent target, shared by all); above the budget, polls are stretched to fit.")
    static let rateLimitedUntil = databrain("api_rate_limited_until_timestamp_seconds", .gauge, labels: "origin", "Unix time until which every target of the origin waits after a 429 (or a 503 with Retry-After), or until the server's window resets once its announced remaining requests are spent; 0 when there is no pause.")
    static let rateLimitRequests = databrain("api_rate_limit_requests", .gauge, labels: "origin", "Requests per window the server announces for this client (RateLimit-Policy, RateLimit, RateLimit-Limit or X-RateLimit-Limit), from its last answer that said; absent until one did.")
    static let rateLimitWindow = databrain("api_rate_limit_window", unit: "seconds", .gauge, labels: "origin", "Length of the server's rate-limit window (the w= of RateLimit-Policy), from its last answer that said; absent until one did.")
    static let rateLimitRemaining = databrain("api_rate_limit_remaining", .gauge, labels: "origin", "Requests the server says are left in its current window for this client IP (other clients behind the same address spend it too), from its last answer that said; absent until one did.")

    // MARK: Per target, Databrain's own health endpoints (probed with each poll)

    static let healthLive = databrain("health_live", .gauge, "1 if the target's /health/live answered 200 with status live at the last probe (one round per interval per Databrain instance, shared by its targets), else 0.")
    static let healthReady = databrain("health_ready", .gauge, "1 if the target's /health/ready answered 200 with status ready at the last probe, else 0 (a 503 with its checks is a normal not-ready answer).")
    static let healthCheckStatus = databrain("health_check_status", .gauge, labels: "target, check, status=`UP`/`DOWN`/`UNKNOWN`", "State of each dependency check in the last /health/ready answer: 1 on its current status (UP, DOWN, UNKNOWN), 0 on the others; a check that leaves the answer (or a failed probe) removes its series.")
    static let healthProbeDuration = databrain("health_probe_duration", unit: "seconds", .gauge, labels: "target, endpoint=`live`/`ready`", "Duration of the last probe of each health endpoint (live, ready).")
    static let healthProbeFailures = databrain("health_probe_failures", unit: "total", .counter, labels: "target, endpoint, reason", "Health probes that gave no usable answer, by endpoint and reason (the API's failure reasons, all exported at 0; decode includes a 404 from an installation without health endpoints).")

    // MARK: The exporter itself

    static let buildInfo = databrain("exporter_build", unit: "info", .gauge, labels: "version, revision, branch, swift_version, libcurl_version, platform", "A metric with a constant 1 labelled by the exporter's version, revision, branch, Swift and libcurl versions and platform (linux/amd64).")
    static let configReloadSuccessful = databrain("exporter_config_last_reload_successful", .gauge, labels: "", "1 if the last configuration load (start-up, SIGHUP or POST /-/reload) succeeded, 0 if it was rejected and the previous configuration kept.")
    static let configReloadTimestamp = databrain("exporter_config_last_reload_success_timestamp", unit: "seconds", .gauge, labels: "", "Unix time of the last successful configuration load.")
    static let shardTargets = databrain("exporter_shard_targets", .gauge, labels: "shard", "Targets this replica polls: its share under --config.shards (every target without sharding), labelled by its shard (0 without sharding).")
    static let handlerRequests = databrain("exporter_metric_handler_requests", unit: "total", .counter, labels: "code=`200`/`500`/`503`", "Requests to the metrics endpoint by HTTP status, 503 when over --web.max-requests, as promhttp_metric_handler_requests_total (sampled at most once a second).")
    static let handlerInFlight = databrain("exporter_metric_handler_requests_in_flight", .gauge, labels: "", "Responses of the metrics endpoint being written now (sampled at most once a second).")

    // MARK: The process, read from /proc/self at most once a second

    static let processCPU = process("cpu_seconds", unit: "total", .counter, "Total user and system CPU time spent in seconds.")
    static let processResident = process("resident_memory", unit: "bytes", .gauge, "Resident memory size in bytes.")
    static let processVirtual = process("virtual_memory", unit: "bytes", .gauge, "Virtual memory size in bytes.")
    static let processVirtualMax = process("virtual_memory_max", unit: "bytes", .gauge, "Maximum amount of virtual memory available in bytes (the address-space limit; 1.8446744073709552e+19 when unlimited, as client_golang reports it).")
    static let processOpenFDs = process("open", unit: "fds", .gauge, "Number of open file descriptors.")
    static let processMaxFDs = process("max", unit: "fds", .gauge, "Maximum number of open file descriptors.")
    static let processStartTime = process("start_time", unit: "seconds", .gauge, "Start time of the process since unix epoch in seconds.")
    static let processThreads = process("threads", unit: "", .gauge, "Number of OS threads in the process.")
}
