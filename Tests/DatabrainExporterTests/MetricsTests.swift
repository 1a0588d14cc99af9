import FoundationEssentials
import Testing
import NIOCore
@testable import DatabrainExporter

@Suite struct MetricsTests {
    private func text(_ metrics: ExporterMetrics) -> String { String(decoding: metrics.exposition(), as: UTF8.self) }

    @Test func codesAndReasonsArePreinitialisedAtZero() {
        let metrics = ExporterMetrics()
        _ = metrics.makeTarget("prod")
        let output = text(metrics)
        for code in ["200", "400", "401", "429", "500"] {
            #expect(output.contains(#"databrain_api_requests_total{target="prod",endpoint="datasource",code="\#(code)"} 0"#))
        }
        for reason in RequestFailureReason.allCases {
            #expect(output.contains(#"databrain_api_request_failures_total{target="prod",endpoint="datasource",reason="\#(reason.rawValue)"} 0"#))
        }
        #expect(output.contains("databrain_exporter_build_info{version="))
        #expect(output.contains("process_resident_memory_bytes "))
    }

    @Test func changesAreCountedBetweenPollsButNotOnTheFirst() {
        let metrics = ExporterMetrics()
        let series = metrics.makeTarget("prod")
        let target = series.claim()
        target.pollSucceeded(names: ["a", "b", "c"], duration: .milliseconds(5), at: Date())
        target.pollSucceeded(names: ["a", "c", "d", "e"], duration: .milliseconds(5), at: Date())
        let output = text(metrics)
        #expect(output.contains(#"databrain_datasource_changes_total{target="prod",change="added"} 2"#))
        #expect(output.contains(#"databrain_datasource_changes_total{target="prod",change="removed"} 1"#))
        #expect(output.contains(#"databrain_datasources{target="prod"} 4"#))
        #expect(!output.contains(#"datasource="b""#))
        #expect(output.contains(#"databrain_datasource_info{target="prod",datasource="e"} 1"#))
    }

    /// The poll-derived part is cached between scrapes: every kind of change must still show at
    /// the next scrape, or Prometheus would record stale values.
    @Test func everyChangeShowsAtTheNextScrapeDespiteTheCache() {
        let metrics = ExporterMetrics()
        let series = metrics.makeTarget("prod")
        let target = series.claim()
        target.pollSucceeded(names: ["a"], duration: .milliseconds(5), at: Date())
        #expect(text(metrics).contains(#"databrain_up{target="prod"} 1"#))
        #expect(text(metrics) == text(metrics), "two scrapes without a change are identical")
        target.pollFailed(duration: .milliseconds(7))
        #expect(text(metrics).contains(#"databrain_up{target="prod"} 0"#))
        target.record(RequestRecord(status: 503, duration: .milliseconds(3), failure: nil))
        #expect(text(metrics).contains(#"databrain_api_requests_total{target="prod",endpoint="datasource",code="503"} 1"#))
        _ = metrics.makeTarget("staging")
        #expect(text(metrics).contains(#"databrain_up{target="staging"} 0"#))
        series.unregister()
        #expect(!text(metrics).contains(#"target="prod""#))
    }

    @Test func duplicateNamesCountOnce() {
        let metrics = ExporterMetrics()
        #expect(metrics.makeTarget("prod").claim().pollSucceeded(names: ["a", "a", "b"], duration: .zero, at: Date()) == 2)
        #expect(text(metrics).components(separatedBy: #"datasource="a""#).count == 2)
    }

    @Test func aFailedPollKeepsTheListAndDropsUp() {
        let metrics = ExporterMetrics()
        let series = metrics.makeTarget("prod")
        let target = series.claim()
        target.pollSucceeded(names: ["a"], duration: .zero, at: Date())
        target.pollFailed(duration: .seconds(1))
        let output = text(metrics)
        #expect(output.contains(#"databrain_up{target="prod"} 0"#))
        #expect(output.contains(#"databrain_datasource_info{target="prod",datasource="a"} 1"#))
        #expect(output.contains(#"databrain_poll_failures_total{target="prod"} 1"#))
    }

    @Test func labelValuesAreEscaped() {
        let metrics = ExporterMetrics()
        metrics.makeTarget("t\"1").claim().pollSucceeded(names: ["quote\"back\\slash\nnewline 🧠", ""], duration: .zero, at: Date())
        let output = text(metrics)
        #expect(output.contains(#"databrain_datasource_info{target="t\"1",datasource="quote\"back\\slash\nnewline 🧠"} 1"#))
        #expect(output.contains(#"databrain_datasource_info{target="t\"1",datasource=""} 1"#))
    }

    @Test func unregisteringATargetRemovesEveryOneOfItsSeries() {
        let metrics = ExporterMetrics()
        let goneSeries = metrics.makeTarget("gone")
        let gone = goneSeries.claim()
        gone.pollSucceeded(names: ["x"], duration: .zero, at: Date())
        gone.record(RequestRecord(status: 418, duration: .milliseconds(1), failure: nil))
        metrics.makeTarget("stays").claim().pollSucceeded(names: ["y"], duration: .zero, at: Date())
        goneSeries.unregister()
        let output = text(metrics)
        #expect(!output.contains(#"target="gone""#))
        #expect(output.contains(#"target="stays""#))
    }

    /// swift-prometheus copies a family's labels for every series added, so 100,000 datasources
    /// as registry series would stall a poll for minutes (see DatasourcePresence). Bounded by
    /// work, not time: a poll makes the same number of registry series whatever the list's size.
    @Test func aHundredThousandDatasourcesMakeNoRegistrySeries() {
        let metrics = ExporterMetrics()
        let small = metrics.makeTarget("small").claim()
        small.pollSucceeded(names: ["a"], duration: .zero, at: Date())
        let perTarget = registrySeries(metrics)
        let big = metrics.makeTarget("big").claim()
        let names = (0..<100_000).map { "ds-\($0)" }
        #expect(big.pollSucceeded(names: names, duration: .zero, at: Date()) == 100_000)
        #expect(big.pollSucceeded(names: Array(names.dropFirst()), duration: .zero, at: Date()) == 99_999)
        #expect(registrySeries(metrics) == 2 * perTarget - metricsMadeAtStart(), "registry series made for datasources")
        let output = text(metrics)
        #expect(output.contains(#"databrain_datasource_changes_total{target="big",change="removed"} 1"#))
        #expect(output.contains(#"databrain_datasource_info{target="big",datasource="ds-99999"} 1"#))
    }

    /// A poll that lists what the last one listed changes no per-object family: the joined
    /// families (and the gzip keyed on them) are not rebuilt for it. A changed list does.
    @Test func anUnchangedListLeavesThePerObjectFamiliesAsTheyWere() {
        let metrics = ExporterMetrics()
        let target = metrics.makeTarget("prod").claim()
        target.pollSucceeded(names: ["a", "b"], duration: .zero, at: Date())
        let before = metrics.families.ordered.map(\.generation)
        target.pollSucceeded(names: ["b", "a", "a"], duration: .zero, at: Date())
        #expect(metrics.families.ordered.map(\.generation) == before)
        target.pollSucceeded(names: ["a"], duration: .zero, at: Date())
        #expect(metrics.families.ordered.map(\.generation) != before)
        #expect(text(metrics).contains(#"databrain_datasource_info{target="prod",datasource="a"} 1"#) && !text(metrics).contains(#"datasource="b""#))
    }

    /// Series the exporter-wide part of the registry makes before any target (build info, reloads).
    private func metricsMadeAtStart() -> Int { registrySeries(ExporterMetrics()) }

    /// Samples the registry part of the exposition holds (the per-object families are not in it).
    private func registrySeries(_ metrics: ExporterMetrics) -> Int {
        metrics.pollDerived.rendered().merge.text.map { String(buffer: $0) }.joined().split(separator: "\n").filter { !$0.hasPrefix("#") }.count
    }
}

@Suite struct MetricsBeforeTheFirstPollTests {
    @Test func theCountIsAbsentUntilTheFirstSuccessSoARestartNeverRecordsZero() {
        let metrics = ExporterMetrics()
        let series = metrics.makeTarget("prod")
        let target = series.claim()
        target.pollFailed(duration: .seconds(1))
        let before = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(!before.contains("databrain_datasources{"))
        #expect(before.contains(#"databrain_up{target="prod"} 0"#))
        target.pollSucceeded(names: [], duration: .zero, at: Date())
        #expect(String(decoding: metrics.exposition(), as: UTF8.self).contains(#"databrain_datasources{target="prod"} 0"#))
    }
}

@Suite struct RetiredTargetTests {
    @Test func aPollFinishingAfterARemovalLeavesNoSeriesBehind() {
        let metrics = ExporterMetrics()
        let series = metrics.makeTarget("gone")
        let target = series.claim()
        target.pollSucceeded(names: ["a"], duration: .zero, at: Date())
        series.unregister()
        // What a poller cancelled by the reload may still do on its way out:
        target.record(RequestRecord(status: 503, duration: .milliseconds(3), failure: nil))
        target.pollSucceeded(names: ["a", "b"], duration: .zero, at: Date())
        target.pollFailed(duration: .zero)
        #expect(!String(decoding: metrics.exposition(), as: UTF8.self).contains(#"target="gone""#))
    }
}
