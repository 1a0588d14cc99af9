import Foundation
import Testing

/// The README's metrics table is the public contract: it must name exactly what `/metrics` serves.
@Suite struct MetricsContractTests {
    /// Metric names in the first column of the table under "## Metrics".
    private func documentedNames() throws -> Set<String> {
        let text = try RepositoryFiles.text("README.md")
        let section = try #require(text.components(separatedBy: "\n## Metrics\n").last?.components(separatedBy: "\n### ").first)
        var names = Set<String>()
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let firstCell = line.split(separator: "|").first ?? ""
            for match in firstCell.matches(of: /`([a-z_]+)`/) { names.insert(String(match.1)) }
        }
        return names
    }

    @Test func theReadmeTableMatchesTheExposition() async throws {
        let simulator = try await Simulator(datasources: 2)
        let exporter = try await Exporter(simulator: simulator)
        let metrics = try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        let served = Set(metrics.text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("# TYPE ") else { return nil }
            return line.split(separator: " ")[2].description
        })
        let documented = try documentedNames()
        #expect(served.subtracting(documented).isEmpty, "served but not in the README: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "in the README but not served: \(documented.subtracting(served).sorted())")
        try await exporter.stopAndCheckSecrets()
    }
}
