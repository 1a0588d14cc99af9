// databrain_exporter's monitoring mixin: the alerts (each with its runbook's link) and the Grafana
// dashboard, with the selector, durations and links of _config. Import it into a kube-prometheus
// build, or render it with scripts/render-mixin, which writes the files this repository ships.
(import 'config.libsonnet') +
(import 'alerts.libsonnet') +
(import 'dashboards.libsonnet')
