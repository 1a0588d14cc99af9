// The alerts of databrain_exporter, the source of deploy/prometheus/databrain.rules.yml and the
// PrometheusRule (scripts/render-mixin writes both; scripts/check-deploy fails when they differ).
// - Every series an expression reads carries $._config.databrainSelector (the exporter's scrape
//   job), so another job name, or several jobs, change only _config (config.libsonnet).
// - Joins are `on(job, instance, target)`: one exporter (instance) may poll several targets.
// - Per-datasource and per-code alerts are gated on `databrain_up`, so an outage pages once
//   (DatabrainAPIUnreachable), not once per datasource.
// - Annotations in the monitoring-mixins style (scripts/lint-alerts applies mixtool's lint rules):
//   `summary` is a fixed sentence, `description` carries the templates (which target, datasource,
//   embed), and `runbook_url` links the alert's page in docs/runbooks/ (Meaning, Impact, Diagnosis,
//   Mitigation), through $._config.runbookURLPattern.
{
  prometheusAlerts+:: {
    groups+: [
      {
        name: "databrain-exporter",
        rules: [
          {
            alert: "DatabrainExporterDown",
            expr: |||
              up{%(databrainSelector)s} == 0
            ||| % $._config,
            'for': $._config.forDuration.DatabrainExporterDown,
            labels: { severity: "critical" },
            annotations: {
              summary: "Prometheus cannot scrape a databrain_exporter.",
              description: "Prometheus has failed to scrape the exporter at {{ $labels.instance }} for 5 minutes, so no Databrain alert can fire for it. Check the sidecar container's logs and restarts.",
              runbook_url: $._config.runbookURLPattern % "DatabrainExporterDown",
            },
          },
          {
            alert: "DatabrainExporterAbsent",
            expr: |||
              absent(up{%(databrainSelector)s})
            ||| % $._config,
            'for': $._config.forDuration.DatabrainExporterAbsent,
            labels: { severity: "warning" },
            annotations: {
              summary: "No databrain_exporter is being scraped.",
              description: "Prometheus has had no scrape target with job=\"{{ $labels.job }}\" for 15 minutes: the PodMonitor or scrape config no longer matches any exporter, so no Databrain alert can fire.",
              runbook_url: $._config.runbookURLPattern % "DatabrainExporterAbsent",
            },
          },
          {
            alert: "DatabrainExporterConfigReloadFailed",
            expr: |||
              databrain_exporter_config_last_reload_successful{%(databrainSelector)s} == 0
            ||| % $._config,
            'for': $._config.forDuration.DatabrainExporterConfigReloadFailed,
            labels: { severity: "warning" },
            annotations: {
              summary: "A databrain_exporter rejected its new configuration.",
              description: "The last configuration reload of exporter {{ $labels.instance }} (SIGHUP or POST /-/reload) failed, so it still runs the previous configuration. Its log has the one-line reason.",
              runbook_url: $._config.runbookURLPattern % "DatabrainExporterConfigReloadFailed",
            },
          },
        ],
      },
      {
        name: "databrain-api",
        rules: [
          // Both alerts read the state of the last poll (databrain_last_poll_failure), never a window of
          // counters: after a token is fixed, an outage that follows pages as the outage at once, not as
          // "token rejected" for the rest of a window. They never fire together for a target.
          {
            alert: "DatabrainAPIUnreachable",
            expr: |||
              (databrain_up{%(databrainSelector)s} == 0) unless on(job, instance, target) (databrain_last_poll_failure{%(databrainSelector)s, reason=~"credentials|token_file"} == 1)
            ||| % $._config,
            'for': $._config.forDuration.DatabrainAPIUnreachable,
            labels: { severity: "critical" },
            annotations: {
              summary: "The Databrain API is unreachable.",
              description: "Every poll of target {{ $labels.target }} (exporter {{ $labels.instance }}) has failed for 10 minutes, and not because of the token: the API times out, refuses connections or answers errors. databrain_last_poll_failure says the last poll's reason, databrain_api_request_failures_total and databrain_api_requests_total the history; the last known datasource list is still exported.",
              runbook_url: $._config.runbookURLPattern % "DatabrainAPIUnreachable",
            },
          },
          // Any answer rejecting the token counts, whatever its status: 401, 403, or a body whose code
          // names the credentials (AUTHENTICATION_ERROR at 400 on the data-app family,
          // EXPIRED_SERVICE_TOKEN at 400 or 401 once a rotation's grace period ends). token_file: the
          // exporter has no token to send. Either way the fix is the Secret, not the network.
          {
            alert: "DatabrainAuthFailing",
            expr: |||
              (databrain_last_poll_failure{%(databrainSelector)s, reason=~"credentials|token_file"} == 1) and on(job, instance, target) (databrain_up{%(databrainSelector)s} == 0)
            ||| % $._config,
            'for': $._config.forDuration.DatabrainAuthFailing,
            labels: { severity: "critical" },
            annotations: {
              summary: "Databrain rejects the exporter's service token.",
              description: "The last polls of target {{ $labels.target }} (exporter {{ $labels.instance }}) failed for the token (reason {{ $labels.reason }}). credentials: the API rejected it: revoked, expired (EXPIRED_SERVICE_TOKEN: a rotation's grace period ended before the Secret was updated) or for another organisation. token_file: the token file is missing, unreadable or empty. Update the Secret; the exporter re-reads the token file before every poll.",
              runbook_url: $._config.runbookURLPattern % "DatabrainAuthFailing",
            },
          },
          {
            alert: "DatabrainDatasourceDisappeared",
            expr: |||
              (max_over_time(databrain_datasource_info{%(databrainSelector)s}[1h]) unless databrain_datasource_info{%(databrainSelector)s}) and on(job, instance, target) (databrain_up{%(databrainSelector)s} == 1)
            ||| % $._config,
            'for': $._config.forDuration.DatabrainDatasourceDisappeared,
            labels: { severity: "critical" },
            annotations: {
              summary: "A Databrain datasource disappeared.",
              description: "Datasource \"{{ $labels.datasource }}\" was listed by target {{ $labels.target }} within the last hour and is missing now, while polling works. Dashboards built on it will fail. The alert resolves when it comes back, or after an hour.",
              runbook_url: $._config.runbookURLPattern % "DatabrainDatasourceDisappeared",
            },
          },
          // The organisation's inventory. Each disappearance is judged only while its own collector
          // fetches its list (a failing list is DatabrainCollectorFailing's, never a disappearance),
          // and by identity: an embed renamed under the same embed_id, or a datamart rebuilt on another
          // datasource, has not disappeared.
          {
            alert: "DatabrainEmbedDisappeared",
            expr: |||
              (max_over_time(databrain_embed_info{%(databrainSelector)s}[1h]) unless on(job, instance, target, data_app, embed_id) databrain_embed_info{%(databrainSelector)s}) and on(job, instance, target) (databrain_collector_up{%(databrainSelector)s, collector="data_apps"} == 1)
            ||| % $._config,
            'for': $._config.forDuration.DatabrainEmbedDisappeared,
            labels: { severity: "critical" },
            annotations: {
              summary: "A Databrain embed disappeared from its data app.",
              description: "Embed \"{{ $labels.embed }}\" (embed_id {{ $labels.embed_id }}) of data app \"{{ $labels.data_app }}\" was listed by target {{ $labels.target }} within the last hour and is missing now, while the data-app list is fetched: a customer-facing dashboard or metric that embeds it no longer loads. Resolves when it comes back, or after an hour.",
              runbook_url: $._config.runbookURLPattern % "DatabrainEmbedDisappeared",
            },
          },
          {
            alert: "DatabrainDataAppDisappeared",
            expr: |||
              (max_over_time(databrain_data_app_info{%(databrainSelector)s}[1h]) unless on(job, instance, target, data_app) databrain_data_app_info{%(databrainSelector)s}) and on(job, instance, target) (databrain_collector_up{%(databrainSelector)s, collector="data_apps"} == 1)
            ||| % $._config,
            'for': $._config.forDuration.DatabrainDataAppDisappeared,
            labels: { severity: "critical" },
            annotations: {
              summary: "A Databrain data app disappeared.",
              description: "Data app \"{{ $labels.data_app }}\" was listed by target {{ $labels.target }} within the last hour and is missing now, while the data-app list is fetched; every embed it had is gone with it (those alerts are held back by Alertmanager). Resolves when it comes back, or after an hour.",
              runbook_url: $._config.runbookURLPattern % "DatabrainDataAppDisappeared",
            },
          },
          {
            alert: "DatabrainDatamartDisappeared",
            expr: |||
              (max_over_time(databrain_datamart_info{%(databrainSelector)s}[1h]) unless on(job, instance, target, datamart) databrain_datamart_info{%(databrainSelector)s}) and on(job, instance, target) (databrain_collector_up{%(databrainSelector)s, collector="datamarts"} == 1)
            ||| % $._config,
            'for': $._config.forDuration.DatabrainDatamartDisappeared,
            labels: { severity: "warning" },
            annotations: {
              summary: "A Databrain datamart disappeared.",
              description: "Datamart \"{{ $labels.datamart }}\" (built on datasource {{ $labels.datasource }}) was listed by target {{ $labels.target }} within the last hour and is missing now, while the datamart list is fetched. Workspaces and embeds built on it will fail. Resolves when it comes back, or after an hour.",
              runbook_url: $._config.runbookURLPattern % "DatabrainDatamartDisappeared",
            },
          },
          // The datamart's datasource is not in the datasource list of the same poll. Computed only
          // when both lists were fetched (the exporter keeps the last value otherwise), and gated on
          // both here, so an outage never reads as a broken dependency.
          {
            alert: "DatabrainDatamartDatasourceMissing",
            expr: |||
              (databrain_datamart_datasource_missing{%(databrainSelector)s} == 1) and on(job, instance, target) (databrain_collector_up{%(databrainSelector)s, collector="datamarts"} == 1) and on(job, instance, target) (databrain_up{%(databrainSelector)s} == 1)
            ||| % $._config,
            'for': $._config.forDuration.DatabrainDatamartDatasourceMissing,
            labels: { severity: "critical" },
            annotations: {
              summary: "A Databrain datamart is built on a datasource that no longer exists.",
              description: "Datamart \"{{ $labels.datamart }}\" of target {{ $labels.target }} is built on datasource \"{{ $labels.datasource }}\", which the datasource list no longer has: every workspace and embed reading the datamart fails. Alertmanager groups this page with DatabrainDatasourceDisappeared for the same datasource, as one incident.",
              runbook_url: $._config.runbookURLPattern % "DatabrainDatamartDatasourceMissing",
            },
          },
          // An inventory list (workspaces, data apps, datamarts) that has not been fetched for 30 minutes while the
          // datasource list works: a token that may not read it, or an endpoint failing on its own.
          // The datasources collector is excluded by the join: its failure is databrain_up's alerts'.
          {
            alert: "DatabrainCollectorFailing",
            expr: |||
              (databrain_collector_up{%(databrainSelector)s} == 0) and on(job, instance, target) (databrain_up{%(databrainSelector)s} == 1)
            ||| % $._config,
            'for': $._config.forDuration.DatabrainCollectorFailing,
            labels: { severity: "warning" },
            annotations: {
              summary: "An inventory collector of databrain_exporter is failing.",
              description: "The {{ $labels.collector }} collector of target {{ $labels.target }} (exporter {{ $labels.instance }}) has not fetched its list for 30 minutes while the datasource list works; its series keep their last values. The exporter's log says what the API answered; if the token may not read this list, --no-collector.{{ $labels.collector }} (or collectors: in --config.file) stops asking.",
              runbook_url: $._config.runbookURLPattern % "DatabrainCollectorFailing",
            },
          },
          {
            alert: "DatabrainDatasourceCountDropped",
            expr: |||
              databrain_datasources{%(databrainSelector)s} < 0.8 * max_over_time(databrain_datasources{%(databrainSelector)s}[1h])
            ||| % $._config,
            'for': $._config.forDuration.DatabrainDatasourceCountDropped,
            labels: { severity: "warning" },
            annotations: {
              summary: "More than 20% of a target's Databrain datasources are gone.",
              description: "Target {{ $labels.target }} lists {{ $value }} datasources, more than 20% fewer than its maximum in the last hour. DatabrainDatasourceDisappeared names each one.",
              runbook_url: $._config.runbookURLPattern % "DatabrainDatasourceCountDropped",
            },
          },
          {
            alert: "DatabrainDataStale",
            expr: |||
              (time() - databrain_last_success_timestamp_seconds{%(databrainSelector)s} > 900) and (databrain_last_success_timestamp_seconds{%(databrainSelector)s} > 0)
            ||| % $._config,
            'for': $._config.forDuration.DatabrainDataStale,
            labels: { severity: "warning" },
            annotations: {
              summary: "The exported Databrain inventory is stale.",
              description: "The last successful poll of target {{ $labels.target }} (exporter {{ $labels.instance }}) was {{ $value | humanizeDuration }} ago; the exported datasource list may be out of date.",
              runbook_url: $._config.runbookURLPattern % "DatabrainDataStale",
            },
          },
          {
            alert: "DatabrainAPIErrorRatioHigh",
            expr: |||
              (
                sum by (job, instance, target) (rate(databrain_api_requests_total{%(databrainSelector)s, code=~"5.."}[10m]))
              /
                sum by (job, instance, target) (rate(databrain_api_requests_total{%(databrainSelector)s}[10m]))
              ) > 0.1
            ||| % $._config,
            'for': $._config.forDuration.DatabrainAPIErrorRatioHigh,
            labels: { severity: "warning" },
            annotations: {
              summary: "More than 10% of Databrain API requests fail with 5xx.",
              description: "{{ $value | humanizePercentage }} of the API responses to exporter {{ $labels.instance }} for target {{ $labels.target }} were 5xx over the last 10 minutes.",
              runbook_url: $._config.runbookURLPattern % "DatabrainAPIErrorRatioHigh",
            },
          },
          // A window on purpose: a limited origin pauses, so polls alternate between a 429 and an answer;
          // "a 429 in every 15 minutes for 15 minutes" is the sustained condition, not the last poll.
          {
            alert: "DatabrainAPIRateLimited",
            expr: |||
              increase(databrain_api_requests_total{%(databrainSelector)s, code="429"}[15m]) > 0
            ||| % $._config,
            'for': $._config.forDuration.DatabrainAPIRateLimited,
            labels: { severity: "warning" },
            annotations: {
              summary: "Databrain is rate limiting the exporter.",
              // Whose requests hit the limit: the exporter's own schedule (it needs its whole budget) or
              // something else behind the same client IP (it needs less than its budget).
              description: "The Databrain API has answered 429 to exporter {{ $labels.instance }} for target {{ $labels.target }} for 15 minutes; every target of that origin waits out each Retry-After. {{ with printf \"max(databrain_api_requests_needed_per_minute{job=%q,instance=%q} / databrain_api_request_budget_per_minute{job=%q,instance=%q})\" $labels.job $labels.instance $labels.job $labels.instance | query }}{{ $share := . | first | value }}{{ if ge $share 1.0 }}The exporter itself is the cause: its schedule needs {{ $share | humanizePercentage }} of its request budget, so it sends all the budget allows. Lower --databrain.requests-per-minute (or the origin's requests_per_minute) below the API's limit, or raise the targets' intervals.{{ else }}Something else shares this client IP's limit: the exporter needs only {{ $share | humanizePercentage }} of its request budget. Look for other clients behind the same address, or lower the budget to what the API allows.{{ end }}{{ end }}",
              runbook_url: $._config.runbookURLPattern % "DatabrainAPIRateLimited",
            },
          },
          // The server's announced limit (RateLimit headers), as a rate, against what the configured
          // schedules need: the exporter fits its budget below the limit and stretches the polls, so
          // nothing fails, but every poll comes later than its interval says.
          {
            alert: "DatabrainAPILimitBelowNeed",
            expr: |||
              (databrain_api_rate_limit_requests{%(databrainSelector)s} * 60 / databrain_api_rate_limit_window_seconds{%(databrainSelector)s}) < on(job, instance, origin) databrain_api_requests_needed_per_minute{%(databrainSelector)s}
            ||| % $._config,
            'for': $._config.forDuration.DatabrainAPILimitBelowNeed,
            labels: { severity: "warning" },
            annotations: {
              summary: "Databrain allows fewer requests than the exporter's schedule needs.",
              description: "{{ $labels.origin }} announces {{ $value | humanize }} requests a minute for this client IP, and the targets of exporter {{ $labels.instance }} there need {{ with printf \"databrain_api_requests_needed_per_minute{job=%q,instance=%q,origin=%q}\" $labels.job $labels.instance $labels.origin | query }}{{ . | first | value | humanize }}{{ end }}: polls are stretched to fit, so every list is older than its interval. Raise Databrain's RATE_LIMIT (its docs warn an unset one may not enforce the intended 500 per 2 minutes), lengthen the targets' intervals, or turn collectors off (--no-collector.NAME).",
              runbook_url: $._config.runbookURLPattern % "DatabrainAPILimitBelowNeed",
            },
          },
          {
            alert: "DatabrainAPISlow",
            expr: |||
              histogram_quantile(0.95, sum by (job, instance, target, le) (rate(databrain_api_request_duration_seconds_bucket{%(databrainSelector)s}[15m]))) > 2
            ||| % $._config,
            'for': $._config.forDuration.DatabrainAPISlow,
            labels: { severity: "warning" },
            annotations: {
              summary: "The Databrain API is slow.",
              description: "95% of API requests for target {{ $labels.target }} take up to {{ $value | humanizeDuration }} (over 2s) for 15 minutes.",
              runbook_url: $._config.runbookURLPattern % "DatabrainAPISlow",
            },
          },
        ],
      },
      // Databrain's own health endpoints (/health/live, /health/ready), probed with each poll.
      {
        name: "databrain-health",
        rules: [
          {
            alert: "DatabrainBackendDown",
            expr: |||
              databrain_health_live{%(databrainSelector)s} == 0
            ||| % $._config,
            'for': $._config.forDuration.DatabrainBackendDown,
            labels: { severity: "critical" },
            annotations: {
              summary: "The Databrain backend is down.",
              description: "/health/live of target {{ $labels.target }} has not answered live to exporter {{ $labels.instance }} for 5 minutes. databrain_health_probe_failures_total says why (decode with HTTP 404 means an installation without health endpoints: set health: false for it).",
              runbook_url: $._config.runbookURLPattern % "DatabrainBackendDown",
            },
          },
          {
            alert: "DatabrainNotReady",
            expr: |||
              (databrain_health_ready{%(databrainSelector)s} == 0) and on(job, instance, target) (databrain_health_live{%(databrainSelector)s} == 1)
            ||| % $._config,
            'for': $._config.forDuration.DatabrainNotReady,
            labels: { severity: "critical" },
            annotations: {
              summary: "Databrain is live but not ready.",
              description: "/health/ready of target {{ $labels.target }} has answered not ready for 5 minutes while the backend is live: a dependency is down (see DatabrainDependencyDown and databrain_health_check_status).",
              runbook_url: $._config.runbookURLPattern % "DatabrainNotReady",
            },
          },
          {
            alert: "DatabrainDependencyDown",
            expr: |||
              databrain_health_check_status{%(databrainSelector)s, status="UP"} == 0
            ||| % $._config,
            'for': $._config.forDuration.DatabrainDependencyDown,
            labels: { severity: "warning" },
            annotations: {
              summary: "A dependency of Databrain is not up.",
              description: "Databrain's readiness check {{ $labels.check }} for target {{ $labels.target }} has not been UP for 5 minutes (databrain_health_check_status says DOWN or UNKNOWN).",
              runbook_url: $._config.runbookURLPattern % "DatabrainDependencyDown",
            },
          },
          // Hasura's metadata is inconsistent (its /healthz says WARN): some tables, relationships or
          // permissions Databrain relies on are dropped from the GraphQL schema, while Databrain's own
          // /health/ready, which asks Hasura only for up or down, still says ready. The hasura
          // collector is off by default; without it the series does not exist and this never fires.
          {
            alert: "DatabrainHasuraInconsistent",
            expr: |||
              databrain_hasura_health{%(databrainSelector)s, state="warn"} == 1
            ||| % $._config,
            'for': $._config.forDuration.DatabrainHasuraInconsistent,
            labels: { severity: "warning" },
            annotations: {
              summary: "Hasura behind Databrain reports inconsistent metadata.",
              description: "Hasura's /healthz for target {{ $labels.target }} has answered WARN (inconsistent objects in schema) for 10 minutes: some objects are missing from the GraphQL schema Databrain queries. Open the Hasura console's metadata status, or reload the metadata, to see which.",
              runbook_url: $._config.runbookURLPattern % "DatabrainHasuraInconsistent",
            },
          },
        ],
      },
    ],
  },
}
