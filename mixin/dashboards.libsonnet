// The Grafana dashboard of databrain_exporter (uid databrain-exporter), the source of
// dashboards/databrain.json (scripts/render-mixin writes it; scripts/check-deploy fails when it
// differs, and scripts/lint-dashboard applies grafana/dashboard-linter's rules to it).
// - Variables: datasource, job (the exporter's scrape jobs within databrainSelector), instance,
//   target. Every query matches job and instance; per-target series match target as well. Series
//   per origin (the request budget) and process_* series carry no target.
// - Rates use $__rate_interval. Metric names are the README's contract: rename them there, in the
//   alerts and here together.
local ds = { type: 'prometheus', uid: '${datasource}' };
local rate = '$__rate_interval';
local red = 'red', green = 'green', amber = '#EAB839';

local query(expr, legend='', instant=false, format='time_series', ref='A') = {
  datasource: ds,
  refId: ref,
  expr: expr,
  legendFormat: legend,
  instant: instant,
  range: !instant,
  format: format,
};

local panel(kind, title, description, targets, unit=null) = {
  type: kind,
  title: title,
  description: description,
  datasource: ds,
  targets: targets,
  fieldConfig: { defaults: if unit == null then {} else { unit: unit }, overrides: [] },
  options: {},
};

local thresholds(steps) = { fieldConfig+: { defaults+: { thresholds: { mode: 'absolute', steps: steps } } } };
local mappings(list) = { fieldConfig+: { defaults+: { mappings: list } } };

local stat(title, description, expr, unit=null, legend='{{target}}') =
  panel('stat', title, description, [query(expr, legend, instant=true)], unit) {
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'background',
      graphMode: 'none',
      textMode: 'value_and_name',
    },
  };

local timeseries(title, description, targets, unit=null, stack=false, bars=false) =
  panel('timeseries', title, description, targets, unit) {
    options: {
      legend: { displayMode: 'table', placement: 'right', showLegend: true, calcs: ['lastNotNull'] },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
    fieldConfig+: { defaults+: { custom: {
      drawStyle: if bars then 'bars' else 'line',
      fillOpacity: if bars then 60 else 10,
      stacking: { mode: if stack then 'normal' else 'none', group: 'A' },
      showPoints: 'never',
    } } },
  };

// Places panels left to right on Grafana's 24-column grid, wrapping into rows; a row item starts
// a new line with a row header.
local layout(items) =
  local newline(s) = if s.x != 0 then s { x: 0, y: s.y + s.rowHeight, rowHeight: 0 } else s;
  local place(s, item) =
    local fits = if s.x + item.w > 24 then newline(s) else s;
    local placed = item.panel { id: fits.nextId, gridPos: { x: fits.x, y: fits.y, w: item.w, h: item.h } };
    local after = fits { nextId: fits.nextId + 1, x: fits.x + item.w, rowHeight: std.max(fits.rowHeight, item.h), panels: fits.panels + [placed] };
    if after.x >= 24 then newline(after) else after;
  local step(s, item) =
    if std.objectHas(item, 'row')
    then place(newline(s), { panel: { type: 'row', title: item.row, collapsed: false, panels: [] }, w: 24, h: 1 })
    else place(s, item);
  std.foldl(step, items, { x: 0, y: 0, rowHeight: 0, nextId: 1, panels: [] }).panels;

local row(title) = { row: title };
// A query variable, multi-valued with "All" (.*), from the label values of `expr`.
local variable(name, label, expr) = {
  name: name, label: label, type: 'query', datasource: ds,
  query: { query: 'label_values(%s, %s)' % [expr, name], refId: name },
  definition: 'label_values(%s, %s)' % [expr, name],
  refresh: 2, sort: 1, multi: true, includeAll: true, allValue: '.*', current: {}, hide: 0, options: [],
};
local at(panel, w, h) = { panel: panel, w: w, h: h };

{
  grafanaDashboards+:: {
    'databrain.json':
      // Per-exporter series (origins, the process) and per-target series.
      local exporter = '%(databrainSelector)s, job=~"$job", instance=~"$instance"' % $._config;
      local sel = exporter + ', target=~"$target"';
      local s(metric) = metric + '{' + sel + '}';
      local e(metric) = metric + '{' + exporter + '}';
      local changes = [
        query('sum by (target, change) (increase(%s[%s]))' % [s('databrain_%s_changes_total' % c[0]), rate], '{{target}} %s {{change}}' % c[1], ref=c[2])
        for c in [['workspace', 'workspaces', 'A'], ['data_app', 'data apps', 'B'], ['embed', 'embeds', 'C'], ['datamart', 'datamarts', 'D']]
      ];
      local quantiles = [
        query('histogram_quantile(%s, sum by (target, le) (rate(%s[%s])))' % [q[0], s('databrain_api_request_duration_seconds_bucket'), rate], '{{target}} p%s' % q[1], ref=q[2])
        for q in [['0.5', '50', 'A'], ['0.9', '90', 'B'], ['0.99', '99', 'C']]
      ];
      {
        uid: 'databrain-exporter',
        title: 'Databrain exporter',
        description: 'Datasources and API health of Databrain organisations, from databrain_exporter.',
        tags: ['databrain', 'prometheus-exporter'],
        schemaVersion: 39,
        version: 1,
        editable: false,
        graphTooltip: 1,
        refresh: '30s',
        time: { from: 'now-6h', to: 'now' },
        timezone: '',
        links: [],
        panels: layout([
          row('Status'),
          at(stat('API polling', 'databrain_up: 1 when the last poll fetched the complete list.', s('databrain_up'))
             + thresholds([{ color: red, value: null }, { color: green, value: 1 }])
             + mappings([{ type: 'value', options: { '0': { text: 'DOWN' }, '1': { text: 'UP' } } }]), 6, 4),
          at(stat('Last successful poll', 'Age of the last successful poll.', 'time() - %s > 0 < 1e9' % s('databrain_last_success_timestamp_seconds'), unit='s')
             + thresholds([{ color: green, value: null }, { color: amber, value: 300 }, { color: red, value: 900 }]), 6, 4),
          at(stat('Datasources', 'Datasources in the last successful poll.', s('databrain_datasources'))
             + thresholds([{ color: 'blue', value: null }]), 6, 4),
          at(stat('Firing alerts', "Databrain alerts firing now for the selected jobs and instances (the mixin's alerts).",
                  'count(ALERTS{alertname=~"Databrain.*", alertstate="firing", job=~"$job", instance=~"$instance"}) or vector(0)', legend='firing')
             + thresholds([{ color: green, value: null }, { color: red, value: 1 }]), 6, 4),

          row('Datasources'),
          at(timeseries('Datasource count', 'databrain_datasources over time.', [query(s('databrain_datasources'), '{{target}}')]), 12, 8),
          at(timeseries('Datasources added and removed', 'Changes between successive successful polls.',
                        [query('sum by (target, change) (increase(%s[%s]))' % [s('databrain_datasource_changes_total'), rate], '{{target}} {{change}}')], bars=true), 12, 8),
          at(panel('table', 'Current datasources', 'One row per datasource in the last successful poll.',
                   [query(s('databrain_datasource_info'), instant=true, format='table')]) {
               transformations: [{ id: 'organize', options: {
                 excludeByName: { Time: true, Value: true, __name__: true, job: true },
                 indexByName: { target: 0, datasource: 1, instance: 2 },
               } }],
               options: { showHeader: true, sortBy: [{ displayName: 'datasource', desc: false }] },
             }, 24, 9),

          row('Inventory'),
          at(timeseries('Collectors', "Each collector's last run per target: 1 = its list was fetched completely (databrain_collector_up).",
                        [query(s('databrain_collector_up'), '{{target}} {{collector}}')]), 8, 8),
          at(timeseries('Inventory counts', "Workspaces, data apps and datamarts per target (each collector's last good list).",
                        [query(s('databrain_workspaces'), '{{target}} workspaces'),
                         query(s('databrain_data_apps'), '{{target}} data apps', ref='B'),
                         query(s('databrain_datamarts'), '{{target}} datamarts', ref='C')]), 8, 8),
          at(timeseries('Inventory added and removed',
                        'Workspaces, data apps, embeds and datamarts added or removed between successive successful polls.', changes, bars=true), 8, 8),
          at(panel('bargauge', 'Embeds per data app',
                   'Embeds of each data app in the last good data-app list: the customer-facing dashboards and metrics.',
                   [query(s('databrain_data_app_embeds'), '{{target}} {{data_app}}', instant=true)]) {
               options: { orientation: 'horizontal', displayMode: 'basic', showUnfilled: true,
                          reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } },
             } + thresholds([{ color: 'blue', value: null }]), 12, 9),
          // The dependency, one row per datamart: a red cell where its datasource is gone.
          at(panel('table', 'Datamarts and their datasources',
                   'Each datamart with the datasource it is built on (companyIntegration.name). MISSING: that datasource ' +
                   'is not in the datasource list of the same poll (DatabrainDatamartDatasourceMissing).',
                   [query(s('databrain_datamart_datasource_missing'), instant=true, format='table')]) {
               transformations: [{ id: 'organize', options: {
                 excludeByName: { Time: true, __name__: true, job: true, instance: true },
                 indexByName: { target: 0, datamart: 1, datasource: 2, Value: 3 },
                 renameByName: { Value: 'datasource state' },
               } }],
               options: { showHeader: true, sortBy: [{ displayName: 'datasource state', desc: true }] },
               fieldConfig+: { overrides: [{
                 matcher: { id: 'byName', options: 'datasource state' },
                 properties: [
                   { id: 'mappings', value: [{ type: 'value', options: { '0': { text: 'ok', color: green }, '1': { text: 'MISSING', color: red } } }] },
                   { id: 'custom.cellOptions', value: { type: 'color-background' } },
                 ],
               }] },
             }, 12, 9),

          row('Databrain API'),
          at(timeseries('API responses by code', 'HTTP responses from the API per second, by status code.',
                        [query('sum by (target, code) (rate(%s[%s]))' % [s('databrain_api_requests_total'), rate], '{{target}} {{code}}')], unit='reqps', stack=true), 12, 8),
          // Beside the 429s: the budget every target of an origin shares (origin series carry no target).
          at(timeseries('Request budget by origin',
                        'Requests per minute the server allows (its announced limit per window, as a rate), the ' +
                        "exporter's effective budget (the configured one, or 80% of the server's), what the configured " +
                        "schedules need at least, and the requests left in the server's current window. Need above " +
                        "the server's limit: DatabrainAPILimitBelowNeed. Need above budget: polls are stretched to fit. " +
                        "429s while the need is below the budget: something else shares the client IP's limit.",
                        [query('%s * 60 / %s' % [e('databrain_api_rate_limit_requests'), e('databrain_api_rate_limit_window_seconds')], '{{origin}} server limit'),
                         query(e('databrain_api_request_budget_per_minute'), '{{origin}} budget', ref='B'),
                         query(e('databrain_api_requests_needed_per_minute'), '{{origin}} needed', ref='C'),
                         query(e('databrain_api_rate_limit_remaining'), '{{origin}} remaining in window', ref='D')]), 12, 8),
          at(timeseries('Request failures by reason', 'Requests with no usable response, per second, by reason.',
                        [query('sum by (target, reason) (rate(%s[%s])) > 0' % [s('databrain_api_request_failures_total'), rate], '{{target}} {{reason}}')], unit='reqps', stack=true), 12, 8),
          at(timeseries('Throttling by origin',
                        'Seconds per second that requests to the origin waited for its budget or a Retry-After pause ' +
                        '(2 = two requests waiting all the time), and how long the current pause still lasts.',
                        [query('sum by (origin) (rate(%s[%s]))' % [e('databrain_api_throttle_wait_seconds_total'), rate], '{{origin}} waiting'),
                         query('clamp_min(max by (origin) (%s) - time(), 0)' % e('databrain_api_rate_limited_until_timestamp_seconds'), '{{origin}} pause left', ref='B')], unit='s'), 12, 8),
          at(timeseries('API latency quantiles', 'Per-request latency from the histogram (each page is a request).', quantiles, unit='s'), 12, 8),
          at(panel('heatmap', 'API latency heatmap', 'Requests per latency bucket.',
                   [query('sum by (le) (increase(%s[%s]))' % [s('databrain_api_request_duration_seconds_bucket'), rate], '{{le}}', format='heatmap')]) {
               options: { calculate: false, yAxis: { unit: 's' }, cellGap: 1, color: { mode: 'scheme', scheme: 'Oranges', steps: 64 } },
             }, 12, 8),
          at(timeseries('Poll duration', 'Duration of the last poll, all pages.', [query(s('databrain_poll_duration_seconds'), '{{target}}')], unit='s'), 12, 8),
          at(timeseries('Polls and failed polls', 'Polls per second, and those that did not fetch the complete list.',
                        [query('sum by (target) (rate(%s[%s]))' % [s('databrain_polls_total'), rate], '{{target}} polls'),
                         query('sum by (target) (rate(%s[%s]))' % [s('databrain_poll_failures_total'), rate], '{{target}} failed', ref='B')], unit='ops'), 12, 8),

          row('Databrain health'),
          at(timeseries('Live and ready', "Databrain's own /health/live and /health/ready at each probe (1 = live / ready).",
                        [query(s('databrain_health_live'), '{{target}} live'), query(s('databrain_health_ready'), '{{target}} ready', ref='B')]), 12, 8),
          at(panel('state-timeline', 'Dependency checks', 'Each check in /health/ready over time: UP, DOWN or UNKNOWN.',
                   [query('max by (target, check, status) (%s) == 1' % s('databrain_health_check_status'), '{{target}} {{check}} {{status}}')]) {
               options: { showValue: 'never', mergeValues: true, rowHeight: 0.8, legend: { displayMode: 'list', placement: 'bottom', showLegend: true } },
               fieldConfig+: {
                 defaults+: { color: { mode: 'palette-classic' } },
                 overrides: [
                   { matcher: { id: 'byRegexp', options: '.* %s$' % state[0] }, properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: state[1] } }] }
                   for state in [['UP', green], ['DOWN', red], ['UNKNOWN', amber]]
                 ],
               },
             }, 12, 8),

          row('Exporter'),
          at(timeseries('Exporter CPU', 'CPU time used by each exporter process.',
                        [query('rate(%s[%s])' % [e('process_cpu_seconds_total'), rate], '{{instance}}')], unit='percentunit'), 8, 7),
          at(timeseries('Exporter memory', 'Resident memory of each exporter process.', [query(e('process_resident_memory_bytes'), '{{instance}}')], unit='bytes'), 8, 7),
          at(timeseries('API connections opened', 'New TCP connections to the API; flat while the connection is reused.',
                        [query('sum by (target) (increase(%s[%s]))' % [s('databrain_api_connections_opened_total'), rate], '{{target}}')]), 8, 7),
          at(timeseries('Metrics endpoint responses', 'Scrapes of the exporter by status; 503 means over --web.max-requests.',
                        [query('sum by (instance, code) (rate(%s[%s]))' % [e('databrain_exporter_metric_handler_requests_total'), rate], '{{instance}} {{code}}')], unit='reqps', stack=true), 12, 7),
          at(stat('Last configuration reload', '0 means the last reload was rejected and the previous configuration still runs.',
                  e('databrain_exporter_config_last_reload_successful'), legend='{{instance}}')
             + thresholds([{ color: red, value: null }, { color: green, value: 1 }])
             + mappings([{ type: 'value', options: { '0': { text: 'FAILED' }, '1': { text: 'OK' } } }]), 12, 7),
        ]),
        annotations: { list: [
          { builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true,
            iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' },
          { name: 'Datasources added/removed', datasource: ds, enable: true, iconColor: 'orange',
            expr: 'sum by (target, change) (increase(%s[2m])) > 0' % s('databrain_datasource_changes_total'),
            step: '60s', titleFormat: 'datasources {{change}}', textFormat: '{{target}}: {{change}}',
            tagKeys: 'target,change', useValueForTime: false },
        ] },
        templating: { list: [
          { name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus',
            current: {}, hide: 0, refresh: 1, regex: '', options: [] },
          variable('job', 'Job', 'databrain_up{%(databrainSelector)s}' % $._config),
          variable('instance', 'Instance', 'databrain_up{%(databrainSelector)s, job=~"$job"}' % $._config),
          variable('target', 'Target', 'databrain_up{%(databrainSelector)s, job=~"$job", instance=~"$instance"}' % $._config),
        ] },
      },
  },
}
