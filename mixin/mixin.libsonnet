// databrain_exporter's monitoring mixin: the alerts (and their runbooks' links) with the selector
// and durations of _config. Import it into a kube-prometheus build, or render it with
// scripts/render-mixin, which writes the rules this repository ships.
(import 'config.libsonnet') +
(import 'alerts.libsonnet')
