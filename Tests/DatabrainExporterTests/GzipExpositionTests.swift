import CompressNIO
import FoundationEssentials
import NIOCore
import Testing
@testable import DatabrainExporter

/// The gzipped exposition is cached: it must always decompress to exactly the plain one.
@Suite struct GzipExpositionTests {
    private func gunzip(_ buffer: ByteBuffer) throws -> String {
        var compressed = buffer
        let plain = try compressed.decompress(with: .gzip())
        return String(buffer: plain)
    }

    private func plain(_ metrics: ExporterMetrics) -> String { String(decoding: metrics.exposition(), as: UTF8.self) }

    @Test func gzipDecompressesToThePlainExpositionAndFollowsEveryChange() throws {
        let metrics = ExporterMetrics()
        let target = metrics.makeTarget("prod").claim()
        target.pollSucceeded(names: (1...500).map { "datasource-\($0)" }, duration: .milliseconds(5), at: Date())
        let first = try gunzip(metrics.gzippedExposition())
        #expect(first.contains(#"databrain_datasources{target="prod"} 500"#))
        #expect(first.contains(#"databrain_datasource_info{target="prod",datasource="datasource-499"} 1"#))

        target.pollSucceeded(names: ["only-one"], duration: .milliseconds(5), at: Date())
        let second = try gunzip(metrics.gzippedExposition())
        #expect(second.contains(#"databrain_datasources{target="prod"} 1"#))
        #expect(!second.contains("datasource-499"))
        #expect(second == plain(metrics))

        target.pollFailed(duration: .milliseconds(5))
        #expect(try gunzip(metrics.gzippedExposition()).contains(#"databrain_up{target="prod"} 0"#))
    }

    /// Prometheus asks for gzip on every scrape: without a change in between, the scrape reuses the
    /// compressed bytes (the same storage), whatever the number of targets.
    @Test func aScrapeWithoutAChangeCompressesNothing() throws {
        // Without the process series, which are read at most once a second by design.
        let metrics = ExporterMetrics(exporterMetrics: false)
        for index in 0..<70 { metrics.makeTarget("t\(index)").claim().pollSucceeded(names: ["a", "b"], duration: .milliseconds(5), at: Date()) }
        let first = metrics.gzippedExposition()
        let second = metrics.gzippedExposition()
        let same = first.withUnsafeReadableBytes { a in second.withUnsafeReadableBytes { b in a.baseAddress == b.baseAddress } }
        #expect(same, "the second scrape compressed again")
    }

    /// A scrape answers from the answer it kept while nothing changed; every kind of change must
    /// reach the next scrape, plain and gzipped: a series write, a new target (a shard), a target's
    /// per-object rows, an exporter-wide series, and a target removed.
    @Test func aKeptAnswerFollowsEveryKindOfChange() throws {
        // Without the process series, which are sampled, so a kept answer lasts until a change.
        let metrics = ExporterMetrics(exporterMetrics: false)
        let first = metrics.makeTarget("first")
        let writer = first.claim()
        writer.pollSucceeded(names: ["a"], duration: .milliseconds(5), at: Date())
        func both() throws -> String {
            let text = plain(metrics)
            #expect(try gunzip(metrics.gzippedExposition()) == text, "the gzip and the plain answer differ")
            return text
        }
        _ = try both()

        writer.pollFailed(duration: .milliseconds(5))
        #expect(try both().contains(#"databrain_up{target="first"} 0"#), "a series write")

        let second = metrics.makeTarget("second")
        #expect(try both().contains(#"databrain_up{target="second"} 0"#), "a new target")

        // The family alone, as no poll writes it: a poll also moves counters, which would hide a miss.
        let info = try #require(metrics.families.ordered.first { $0.name == MetricCatalog.datasourceInfo.name })
        info.replace(target: "second", rows: [.init(["b"]), .init(["c"])])
        #expect(try both().contains(#"databrain_datasource_info{target="second",datasource="c"} 1"#), "a target's rows")

        metrics.recordConfigLoad(successful: false, at: 1)
        #expect(try both().contains("databrain_exporter_config_last_reload_successful 0"), "an exporter-wide series")

        second.unregister()
        #expect(!(try both().contains(#"target="second""#)), "a target removed")
    }

    @Test(arguments: [
        (["gzip"], true), (["gzip, deflate, br"], true), (["br;q=1.0, gzip;q=0.8"], true), (["*"], true), (["x-gzip"], true),
        (["identity"], false), ([], false), (["gzip;q=0"], false), (["deflate", "GZIP"], true), (["gzip ; q=0.000"], false),
    ])
    func acceptEncodingNegotiation(values: [String], expected: Bool) {
        #expect(AcceptEncoding.allowsGzip(values) == expected)
    }
}

/// The gzip is streamed part by part through a window smaller than the exposition.
@Suite struct GzipStreamingTests {
    @Test func partsLargerThanTheWindowAndEmptyPartsDecompressToTheirConcatenation() throws {
        let large = String(repeating: #"databrain_datasource_info{target="t",datasource="d"} 1"# + "\n", count: 20_000)
        for parts in [[], [""], ["a\n", "", large, "b\n"], [large, large], ["", ""]] {
            var compressed = try GzipCache.compress(parts.map { ByteBuffer(string: $0) })
            let plain = try compressed.decompress(with: .gzip())
            #expect(String(buffer: plain) == parts.joined())
        }
    }
}

/// `/metrics` speaks OpenMetrics to a scraper that prefers it, as promhttp negotiates.
@Suite struct OpenMetricsTests {
    static let prometheusAccept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    @Test(arguments: [
        ([String](), ExpositionFormat.text),
        ([prometheusAccept], .openMetrics(version: "1.0.0")),
        (["text/plain;version=0.0.4"], .text),
        (["application/openmetrics-text;version=0.0.1"], .openMetrics(version: "0.0.1")),
        (["application/openmetrics-text"], .openMetrics(version: "0.0.1")),
        (["application/openmetrics-text;version=0.0.2"], .text),
        (["application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,text/plain;version=0.0.4;q=0.5"], .text),
        (["text/plain;q=0.5, application/openmetrics-text; version=1.0.0"], .openMetrics(version: "1.0.0")),
        (["application/openmetrics-text;version=1.0.0;q=0"], .text),
        (["*/*"], .text),
    ])
    func negotiation(accept: [String], expected: ExpositionFormat) {
        #expect(ExpositionFormat.negotiate(accept) == expected)
        // Remembered: the same answer the first time and every time after.
        #expect(ExpositionFormat.negotiate(remembering: accept) == expected)
        #expect(ExpositionFormat.negotiate(remembering: accept) == expected)
    }

    /// A client sending a new Accept with every request is answered right every time, however
    /// full the table of remembered headers is.
    @Test func manyDistinctHeadersAreEachAnsweredRight() {
        for index in 0..<200 {
            let accept = ["application/openmetrics-text;version=1.0.0;x=\(index),text/plain;q=0.5"]
            #expect(ExpositionFormat.negotiate(remembering: accept) == .openMetrics(version: "1.0.0"))
            #expect(ExpositionFormat.negotiate(remembering: ["text/plain;x=\(index)"]) == .text)
        }
        #expect(ExpositionFormat.negotiate(remembering: [Self.prometheusAccept]) == .openMetrics(version: "1.0.0"))
    }

    @Test func countersLoseTotalInTheirHeadersAndTheExpositionEndsWithEOF() throws {
        let metrics = ExporterMetrics()
        metrics.makeTarget("prod").claim().pollSucceeded(names: ["a \"quoted\" name"], duration: .milliseconds(5), at: Date())
        let text = String(decoding: metrics.expositionParts(.openMetrics(version: "1.0.0")).reduce(into: [UInt8]()) { $0 += $1.readableBytesView }, as: UTF8.self)
        #expect(text.hasSuffix("\n# EOF\n"))
        #expect(text.contains("# TYPE databrain_polls counter\n"))
        #expect(text.contains("# HELP databrain_polls "))
        #expect(!text.contains("# TYPE databrain_polls_total"))
        #expect(text.contains(#"databrain_polls_total{target="prod"} 1"#), "samples keep _total")
        #expect(text.contains("# TYPE databrain_up gauge\n"))
        #expect(text.contains(#"datasource="a \"quoted\" name""#))
        for line in text.split(separator: "\n") where line.hasPrefix("# HELP") {
            let help = line.split(separator: " ", maxSplits: 3).dropFirst(3).first ?? ""
            var escaped = false
            for character in help {
                #expect(character != "\"" || escaped, "an unescaped quote in \(line)")
                escaped = character == "\\" && !escaped
            }
        }
        var gzipped = metrics.gzippedExposition(.openMetrics(version: "1.0.0"))
        #expect(String(buffer: try gzipped.decompress(with: .gzip())) == text)
        #expect(String(decoding: metrics.exposition(), as: UTF8.self).contains("# TYPE databrain_polls_total counter\n"), "text 0.0.4 unchanged")
    }
}
