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
        let metrics = ExporterMetrics()
        for index in 0..<70 { metrics.makeTarget("t\(index)").claim().pollSucceeded(names: ["a", "b"], duration: .milliseconds(5), at: Date()) }
        let first = metrics.gzippedExposition()
        let second = metrics.gzippedExposition()
        let same = first.withUnsafeReadableBytes { a in second.withUnsafeReadableBytes { b in a.baseAddress == b.baseAddress } }
        #expect(same, "the second scrape compressed again")
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
