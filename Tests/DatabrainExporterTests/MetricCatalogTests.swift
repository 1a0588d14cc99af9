import FoundationEssentials
import Logging
import Testing
@testable import DatabrainExporter

/// The metrics contract has one source, ``MetricCatalog``: `/metrics` serves exactly its names,
/// and the table in docs/metrics.md is generated from it (`scripts/generate-metrics-table` rewrites it).
@Suite struct MetricCatalogTests {
    private static let metricsPage = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/metrics.md")
    static let begin = "<!-- BEGIN metrics table: generated from MetricCatalog by scripts/generate-metrics-table; do not edit -->\n"
    static let end = "<!-- END metrics table -->"

    /// The table as docs/metrics.md shows it.
    static func table() -> String {
        var lines = ["| name | type | labels | meaning |", "|---|---|---|---|"]
        for metric in MetricCatalog.all {
            lines.append("| `\(metric.name)` | \(metric.kind.rawValue) | \(metric.labels) | \(metric.help) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func theMetricsTableIsGeneratedFromTheCatalog() throws {
        let text = try String(contentsOf: Self.metricsPage, encoding: .utf8)
        let start = try #require(text.firstRange(of: Self.begin), "docs/metrics.md lost its metrics table markers")
        let stop = try #require(text[start.upperBound...].firstRange(of: Self.end))
        let current = String(text[start.upperBound..<stop.lowerBound])
        if ProcessInfo.processInfo.environment["DATABRAIN_WRITE_METRICS_TABLE"] == "1", current != Self.table() {
            try (text[..<start.upperBound] + Self.table() + text[stop.lowerBound...]).write(to: Self.metricsPage, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == Self.table(), "docs/metrics.md's table is stale: run scripts/generate-metrics-table")
    }

    @Test func theNamesAreUniqueAndFollowTheConventions() {
        let names = MetricCatalog.all.map(\.name)
        #expect(Set(names).count == names.count)
        for metric in MetricCatalog.all {
            #expect((metric.kind == .counter) == metric.name.hasSuffix("_total"), "\(metric.name): counters and only counters end in _total")
            #expect(metric.name.wholeMatch(of: /[a-z_]+/) != nil && !metric.help.isEmpty)
        }
    }

    /// After a poll with every collector and health probing on, `/metrics` serves every family of
    /// the catalog and nothing else.
    @Test func theExpositionServesExactlyTheCatalog() async {
        let metrics = ExporterMetrics()
        var config = TargetConfig(name: "prod", url: ScriptedAPI.baseURL, token: .value("t"), collectors: CollectorName.allCases)
        config.collectorSettings = [.hasura: ["url": "http://hasura.example:8080"]]
        let board = TargetStatusBoard()
        board.setTargets([config])
        // As the exporter builds it: behind its origin's budget, applied as the supervisor does at every load.
        let budgets = OriginBudgets(metrics: metrics)
        budgets.apply(ExporterConfig(targets: [config]))
        metrics.recordShard(.single, targets: 1)
        let poller = TargetPoller(config: config, slot: TargetSlot(metrics: metrics.makeTarget("prod")), board: board,
                                  logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
                                  http: BudgetedTransport(ScriptedAPI(datasources: ["a"]), budgets: budgets))
        #expect(await poller.pollOnce() == nil)
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        let served = Set(text.split(separator: "\n").compactMap { line in line.hasPrefix("# TYPE ") ? String(line.split(separator: " ")[2]) : nil })
        let catalog = Set(MetricCatalog.all.map(\.name))
        #expect(served.subtracting(catalog).isEmpty, "served but not in MetricCatalog: \(served.subtracting(catalog).sorted())")
        #expect(catalog.subtracting(served).isEmpty, "in MetricCatalog but not served: \(catalog.subtracting(served).sorted())")
        for metric in MetricCatalog.all {
            #expect(text.contains("# TYPE \(metric.name) \(metric.kind.rawValue)\n"), "\(metric.name) is not served as a \(metric.kind)")
        }
        // Every sample carries exactly its contract's label names, in order (histograms add `le`).
        let contracts = Dictionary(uniqueKeysWithValues: MetricCatalog.all.map { ($0.name, $0) })
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let series = line[..<(line.lastIndex(of: " ") ?? line.endIndex)]  // label values may hold spaces
            let name = String(series.prefix { $0 != "{" })
            let family = ["_bucket", "_sum", "_count"].first { name.hasSuffix($0) && contracts[name] == nil }.map { String(name.dropLast($0.count)) } ?? name
            guard let contract = contracts[family] else { continue }
            let names = series.contains("{") ? series.dropFirst(name.count + 1).dropLast().split(separator: ",").map { String($0.prefix { $0 != "=" }) } : []
            #expect(names == contract.labelNames + (name.hasSuffix("_bucket") && family != name ? ["le"] : []), "\(line)")
        }
    }

    @Test func labelNamesComeFromTheContractsLabels() {
        #expect(MetricCatalog.datasourceChanges.labelNames == ["target", "change"])
        #expect(MetricCatalog.healthCheckStatus.labelNames == ["target", "check", "status"])
        #expect(MetricCatalog.handlerRequests.labelNames == ["code"])
        #expect(MetricCatalog.processThreads.labelNames == [])
    }
}
