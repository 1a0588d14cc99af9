@testable import DatabrainExporter

/// The property behind every per-object family: a name the API sends, rendered into the
/// exposition and read back as Prometheus reads label values, is the same name. Quotes,
/// backslashes, newlines and NUL included.
enum ExpositionRoundTrip {
    static func check(_ name: String) {
        let family = ObjectFamily(MetricCatalog.datasourceInfo)
        family.replace(target: "t", rows: [ObjectFamily.Row([name])])
        let text = family.emit().reduce(into: [UInt8]()) { $0 += $1.readableBytesView }
        let lines = text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).filter { !$0.starts(with: Array("#".utf8)) && !$0.isEmpty }
        precondition(lines.count == 1, "one name, one line: \(lines.count) lines for \(name.debugDescription)")
        let marker = Array(",datasource=\"".utf8)
        let line = Array(lines[0])
        guard let start = line.firstRange(of: marker)?.upperBound else { preconditionFailure("no datasource label for \(name.debugDescription)") }
        var value: [UInt8] = []
        var index = start
        while index < line.count, line[index] != UInt8(ascii: "\"") {
            if line[index] == UInt8(ascii: "\\"), index + 1 < line.count {
                index += 1
                value.append(line[index] == UInt8(ascii: "n") ? UInt8(ascii: "\n") : line[index])
            } else {
                value.append(line[index])
            }
            index += 1
        }
        precondition(value == Array(name.utf8), "\(name.debugDescription) came back as \(String(decoding: value, as: UTF8.self).debugDescription)")
        precondition(line[(index + 1)...].elementsEqual("} 1".utf8), "the line ends with its value")
    }
}
