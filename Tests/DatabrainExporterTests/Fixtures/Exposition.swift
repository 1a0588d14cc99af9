@testable import DatabrainExporter

/// A scrape of ``ExporterMetrics`` as series → value, so tests read what Prometheus would store.
struct Exposition {
    let values: [String: Double]
    /// The whole exposition as served.
    let text: String

    init(_ metrics: ExporterMetrics) {
        var values: [String: Double] = [:]
        text = String(decoding: metrics.exposition(), as: UTF8.self)
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
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
