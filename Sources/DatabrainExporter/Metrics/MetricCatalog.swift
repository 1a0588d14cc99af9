import Prometheus

/// Every metric the registry holds: name and HELP text in one place.
///
/// These names are a public API (the README's metrics table, the alert rules and the dashboards
/// use them); `MetricsContractTests` fails when this and the README disagree.
// Computed, not stored: MetricNameDescriptor is not Sendable.
enum MetricCatalog {
    private static func databrain(_ name: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "databrain", metricName: name, unitName: unit, helpText: help)
    }

    private static func process(_ name: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "process", metricName: name, unitName: unit, helpText: help)
    }

    // MARK: Per target, written by the poller

    static var up: MetricNameDescriptor { databrain("up", "1 if the last poll of the target fetched the complete datasource list, 0 if it failed (updated by the poller, not at scrape time).") }
    static var datasources: MetricNameDescriptor { databrain("datasources", "Datasources (unique names) in the last successful poll of the target; kept through failed polls, absent before the first success.") }
    static var datasourceChanges: MetricNameDescriptor { databrain("datasource_changes", unit: "total", "Datasources added or removed between successive successful polls.") }
    static var apiRequests: MetricNameDescriptor { databrain("api_requests", unit: "total", "HTTP responses from the Databrain API by status code, counted by the background poller (not at scrape time).") }
    static var apiRequestFailures: MetricNameDescriptor { databrain("api_request_failures", unit: "total", "Requests to the Databrain API that gave no usable response, by reason, counted by the background poller.") }
    static var apiRequestDuration: MetricNameDescriptor { databrain("api_request_duration", unit: "seconds", "Latency of each HTTP request to the Databrain API (one per page), as measured by the poller.") }
    static var apiConnectionsOpened: MetricNameDescriptor { databrain("api_connections_opened", unit: "total", "TCP connections opened to the Databrain API; stays flat while the kept-alive connection is reused.") }
    static var polls: MetricNameDescriptor { databrain("polls", unit: "total", "Polls of the target attempted by the background poller (each fetches every page).") }
    static var pollFailures: MetricNameDescriptor { databrain("poll_failures", unit: "total", "Polls of the target that failed to fetch the complete datasource list.") }
    static var pollDuration: MetricNameDescriptor { databrain("poll_duration", unit: "seconds", "Duration of the last poll of the target, all pages included.") }
    static var lastSuccess: MetricNameDescriptor { databrain("last_success_timestamp", unit: "seconds", "Unix time of the last successful poll of the target (0 before the first).") }

    // MARK: Per target, Databrain's own health endpoints (probed with each poll)

    static var healthLive: MetricNameDescriptor { databrain("health_live", "1 if the target's /health/live answered 200 with status live at the last probe (made with each poll), else 0.") }
    static var healthReady: MetricNameDescriptor { databrain("health_ready", "1 if the target's /health/ready answered 200 with status ready at the last probe, else 0 (a 503 with its checks is a normal not-ready answer).") }
    static var healthCheckStatus: MetricNameDescriptor { databrain("health_check_status", "State of each dependency check in the last /health/ready answer: 1 on its current status (UP, DOWN, UNKNOWN), 0 on the others.") }
    static var healthProbeDuration: MetricNameDescriptor { databrain("health_probe_duration", unit: "seconds", "Duration of the last probe of each health endpoint (live, ready).") }
    static var healthProbeFailures: MetricNameDescriptor { databrain("health_probe_failures", unit: "total", "Health probes that gave no usable answer, by endpoint and reason (the API's failure reasons; decode includes a 404 from an installation without health endpoints).") }

    // MARK: The exporter itself

    static var buildInfo: MetricNameDescriptor { databrain("exporter_build", unit: "info", "A metric with a constant 1 labelled by the exporter's version, revision, Swift and libcurl versions.") }
    static var configReloadSuccessful: MetricNameDescriptor { databrain("exporter_config_last_reload_successful", "1 if the last configuration load (start-up, SIGHUP or POST /-/reload) succeeded, 0 if it was rejected and the previous configuration kept.") }
    static var configReloadTimestamp: MetricNameDescriptor { databrain("exporter_config_last_reload_success_timestamp", unit: "seconds", "Unix time of the last successful configuration load.") }
    static var handlerRequests: MetricNameDescriptor { databrain("exporter_metric_handler_requests", unit: "total", "Requests to the metrics endpoint by HTTP status, 503 when over --web.max-requests (sampled at most once a second).") }
    static var handlerInFlight: MetricNameDescriptor { databrain("exporter_metric_handler_requests_in_flight", "Responses of the metrics endpoint being written now (sampled at most once a second).") }
    static var processCPU: MetricNameDescriptor { process("cpu_seconds", unit: "total", "Total user and system CPU time spent in seconds.") }
    static var processResident: MetricNameDescriptor { process("resident_memory", unit: "bytes", "Resident memory size in bytes.") }
    static var processVirtual: MetricNameDescriptor { process("virtual_memory", unit: "bytes", "Virtual memory size in bytes.") }
    static var processOpenFDs: MetricNameDescriptor { process("open", unit: "fds", "Number of open file descriptors.") }
    static var processMaxFDs: MetricNameDescriptor { process("max", unit: "fds", "Maximum number of open file descriptors.") }
    static var processStartTime: MetricNameDescriptor { process("start_time", unit: "seconds", "Start time of the process since unix epoch in seconds.") }
    static var processThreads: MetricNameDescriptor { process("threads", unit: "", "Number of OS threads in the process.") }
}
