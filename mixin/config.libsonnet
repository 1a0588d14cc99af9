{
  _config+:: {
    // Every series the alerts read, as a matcher list: the scrape job (or jobs) of the exporter.
    databrainSelector: 'job="databrain"',
    // Where each alert's runbook lives; %s is the alert's name.
    runbookURLPattern: 'https://github.com/databrain-exporter/databrain_exporter/blob/main/docs/runbooks/%s.md',
    // How long each alert's condition must hold before it fires.
    forDuration: {
      DatabrainExporterDown: '5m',
      DatabrainExporterAbsent: '15m',
      DatabrainExporterConfigReloadFailed: '5m',
      DatabrainAPIUnreachable: '10m',
      DatabrainAuthFailing: '2m',
      DatabrainDatasourceDisappeared: '2m',
      DatabrainEmbedDisappeared: '2m',
      DatabrainDataAppDisappeared: '2m',
      DatabrainDatamartDisappeared: '2m',
      DatabrainDatamartDatasourceMissing: '2m',
      DatabrainCollectorFailing: '30m',
      DatabrainDatasourceCountDropped: '5m',
      DatabrainDataStale: '5m',
      DatabrainAPIErrorRatioHigh: '15m',
      DatabrainAPIRateLimited: '15m',
      DatabrainAPILimitBelowNeed: '15m',
      DatabrainAPISlow: '15m',
      DatabrainBackendDown: '5m',
      DatabrainNotReady: '5m',
      DatabrainDependencyDown: '5m',
      DatabrainHasuraInconsistent: '10m',
    },
  },
}
