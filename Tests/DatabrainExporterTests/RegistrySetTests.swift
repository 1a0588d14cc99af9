import NIOCore
import Testing
@testable import DatabrainExporter

/// Targets' series kept in registries of 32 must still read as one exposition: every family
/// once, with one HELP and one TYPE, and every target's samples under it; a removed target leaves
/// nothing behind, and its place is reused.
@Suite struct RegistrySetTests {
    private func text(_ metrics: ExporterMetrics) -> String { String(decoding: metrics.exposition(), as: UTF8.self) }

    @Test func familiesAreSplitAtTheirHeaders() {
        let text = ByteBuffer(string: """
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

            """)
        let families = FamilyText.split(text)
        #expect(families.map(\.name) == ["a_total", "b", "h"])
        #expect(families.map { String(buffer: $0.header) } == ["# HELP a_total A.\n# TYPE a_total counter\n", "# TYPE b gauge\n", "# HELP h A histogram.\n# TYPE h histogram\n"])
        #expect(families.map { String(buffer: $0.samples) } == [#"a_total{target="x"} 1"# + "\n", "b 2\n", "h_bucket{le=\"+Inf\"} 1\nh_sum 0.5\nh_count 1\n"])
    }

    /// 70 targets span three registries; the exposition still has each family once.
    @Test func everyFamilyHasOneHeaderAndEveryTargetsSamples() {
        let metrics = ExporterMetrics()
        let targets = (0..<70).map { metrics.makeTarget("t\($0)") }
        let output = text(metrics)
        for family in ["databrain_up", "databrain_polls_total", "databrain_api_request_duration_seconds", "databrain_exporter_build_info"] {
            #expect(output.components(separatedBy: "# TYPE \(family) ").count == 2, "\(family) has exactly one TYPE line")
            #expect(output.components(separatedBy: "# HELP \(family) ").count == 2, "\(family) has exactly one HELP line")
        }
        let ups = output.split(separator: "\n").filter { $0.hasPrefix("databrain_up{") }
        #expect(Set(ups) == Set((0..<70).map { #"databrain_up{target="t\#($0)"} 0.0"# }))
        // A family's lines are contiguous: once another family starts, it never comes back.
        var seen: [String] = []
        var current = ""
        for line in output.split(separator: "\n") {
            let name = line.hasPrefix("# ") ? String(line.split(separator: " ")[2]) : String(line.prefix { $0 != "{" && $0 != " " })
            let family = line.hasPrefix("# ") ? name : seen.last.map { name.hasPrefix($0) ? $0 : name } ?? name
            if family != current {
                #expect(!seen.contains(family), "\(family) appears twice")
                seen.append(family)
                current = family
            }
        }
        targets[1].unregister()
        let after = text(metrics)
        #expect(!after.contains(#"target="t1""#), "a removed target's series are gone")
        #expect(after.contains(#"databrain_up{target="t0"} 0.0"#) && after.contains(#"databrain_up{target="t69"} 0.0"#))
    }

    @Test func aTargetsWriteReRendersOnlyItsShard() {
        let registries = RegistrySet()
        let first = (0..<RegistrySet.targetsPerShard).map { registries.registry(for: "a\($0)") }
        let other = registries.registry(for: "b")
        #expect(Set(first.map(ObjectIdentifier.init)).count == 1, "one shard holds the first 32")
        #expect(other !== first[0], "the 33rd opens a new shard")
        _ = first[0].makeGauge(MetricCatalog.up, labels: [("target", "a0")])
        let up = other.makeGauge(MetricCatalog.up, labels: [("target", "b")])
        let before = registries.rendered()
        let quietGeneration = first[0].renderedFamilies().generation
        #expect(registries.rendered().key == before.key, "no write, same merge")
        up.set(to: 1)
        let after = registries.rendered()
        #expect(after.key != before.key)
        #expect(after.merge.text.map { String(buffer: $0) }.joined().contains(#"databrain_up{target="b"} 1"#))
        #expect(first[0].renderedFamilies().generation == quietGeneration, "the other shard was not rendered again")
        registries.release("a3", from: first[0])
        #expect(registries.registry(for: "c") === first[0], "a freed place is reused")
    }
}
