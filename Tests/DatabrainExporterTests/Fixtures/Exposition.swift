@testable import DatabrainExporter

/// A scrape of ``ExporterMetrics`` as series → value, so tests read what Prometheus would store.
struct Exposition {
    let values: [String: Double]

    init(_ metrics: ExporterMetrics) {
        var values: [String: Double] = [:]
        for line in String(decoding: metrics.exposition(), as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        self.values = values
    }

    /// The value of one series, spelled as in the exposition: `name{label="value",...}`.
    subscript(_ series: String) -> Double? { values[series] }

    /// How many series of `name` there are.
    func count(_ name: String) -> Int {
        values.keys.filter { $0.hasPrefix(name + "{") }.count
    }
}
