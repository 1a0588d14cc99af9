import NIOCore
import Testing
@testable import DatabrainExporter

/// One registry per target must still read as one exposition: every family once, with one HELP
/// and one TYPE, and every target's samples under it; a removed target leaves nothing behind.
@Suite struct RegistrySetTests {
    private func text(_ metrics: ExporterMetrics) -> String { String(decoding: metrics.exposition(), as: UTF8.self) }

    @Test func familiesAreSplitAtTheirHeaders() {
        let text = Array("""
            # HELP a_total A.
            # TYPE a_total counter
            a_total{target="x"} 1
            # TYPE b gauge
            b 2
            # HELP h A histogram.
            # TYPE h histogram
            h_bucket{le="+Inf"} 1
            h_sum 0.5
            h_count 1

            """.utf8)
        let families = FamilyText.split(text)
        #expect(families.map(\.name) == ["a_total", "b", "h"])
        #expect(families.map { String(decoding: $0.header, as: UTF8.self) } == ["# HELP a_total A.\n# TYPE a_total counter\n", "# TYPE b gauge\n", "# HELP h A histogram.\n# TYPE h histogram\n"])
        #expect(families.map { String(decoding: $0.samples, as: UTF8.self) } == [#"a_total{target="x"} 1"# + "\n", "b 2\n", "h_bucket{le=\"+Inf\"} 1\nh_sum 0.5\nh_count 1\n"])
    }

    @Test func everyFamilyHasOneHeaderAndEveryTargetsSamples() {
        let metrics = ExporterMetrics()
        let targets = ["b", "a", "c"].map { metrics.makeTarget($0) }
        let output = text(metrics)
        for family in ["databrain_up", "databrain_polls_total", "databrain_api_request_duration_seconds", "databrain_exporter_build_info"] {
            #expect(output.components(separatedBy: "# TYPE \(family) ").count == 2, "\(family) has exactly one TYPE line")
            #expect(output.components(separatedBy: "# HELP \(family) ").count == 2, "\(family) has exactly one HELP line")
        }
        let ups = output.split(separator: "\n").filter { $0.hasPrefix("databrain_up{") }
        #expect(ups == [#"databrain_up{target="a"} 0.0"#, #"databrain_up{target="b"} 0.0"#, #"databrain_up{target="c"} 0.0"#], "targets in name order")
        // A family's lines are contiguous: once another family starts, it never comes back.
        var seen: [String] = []
        for line in output.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            let name = String(line.split(separator: " ")[2])
            #expect(!seen.contains(name))
            seen.append(name)
        }
        targets[1].unregister()
        let after = text(metrics)
        #expect(!after.contains(#"target="a""#), "a removed target's series are gone")
        #expect(after.contains(#"databrain_up{target="b"} 0.0"#) && after.contains(#"databrain_up{target="c"} 0.0"#))
    }

    @Test func aTargetsWriteShowsAndLeavesTheOthersAsTheyWere() {
        let registries = RegistrySet()
        let quiet = RenderedRegistry(), busy = RenderedRegistry()
        registries.add(quiet, key: "target/quiet")
        registries.add(busy, key: "target/busy")
        _ = quiet.makeGauge(MetricCatalog.up, labels: [("target", "quiet")])
        let up = busy.makeGauge(MetricCatalog.up, labels: [("target", "busy")])
        let before = registries.rendered()
        let quietGeneration = quiet.renderedFamilies().generation
        #expect(registries.rendered().key == before.key, "no write, same merge")
        up.set(to: 1)
        let after = registries.rendered()
        #expect(after.key != before.key)
        #expect(String(buffer: after.bytes).contains(#"databrain_up{target="busy"} 1"#))
        #expect(quiet.renderedFamilies().generation == quietGeneration, "the quiet target was not rendered again")
    }
}
