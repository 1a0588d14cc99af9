import NIOCore
import Locking
import Synchronization

/// A gauge family of one series per object and target, replaced whole by each successful poll:
/// `databrain_datasource_info`, `databrain_embed_info`, `databrain_data_app_embeds`, … The series
/// of an object that is gone disappear with it.
///
/// This family is kept here instead of in swift-prometheus because the registry copies a family's
/// whole label dictionary for every series added or removed (copy-on-write while the old value is
/// still referenced): registering n series is quadratic, so an organisation with 100,000
/// datasources would stall a poll for minutes (the README's dependency notes give figures). Here a
/// poll replaces a target's rows in O(n) and renders its lines once into a `ByteBuffer` that every
/// scrape hands to the socket as is (a reference, not a copy: scrapes cost the same at 100 or
/// 100,000 datasources apart from the bytes on the wire).
final class ObjectFamily: Sendable {
    /// One series: the values of the object's labels, in the contract's order after `target`, and
    /// its value. A nil value means "not known this poll": the row keeps the value it had, or is
    /// left out if it had none (a datamart's dependency when the datasource list failed).
    struct Row: Sendable, Hashable {
        var labels: [String]
        var value: Double?

        init(_ labels: [String], _ value: Double? = 1) {
            self.labels = labels
            self.value = value
        }
    }

    let name: String
    /// The owner's label (`target`) and the object's labels, from the contract.
    let ownerLabel: String
    let objectLabels: [String]
    private let header: ByteBuffer
    /// Told of every change, after ``generation`` (the exposition's scrape cache).
    private let exposition: ExpositionChanges?

    /// The family of `metric`, a gauge whose contract names the owner label first.
    init(_ metric: MetricDefinition, changes exposition: ExpositionChanges? = nil) {
        self.exposition = exposition
        let names = metric.labelNames
        precondition(names.count >= 2 && metric.kind == .gauge, "\(metric.name) must be a gauge with an owner and object labels, not \(names)")
        name = metric.name
        ownerLabel = names[0]
        objectLabels = Array(names.dropFirst())
        header = ByteBuffer(string: "# HELP \(metric.name) \(metric.help)\n# TYPE \(metric.name) gauge\n")
    }

    /// A target's series by key: the object's label value, or its label values joined by NUL
    /// for a family with several (a string key hashes and sorts like the values in order, and
    /// costs far less than an array of strings at 100,000 rows).
    private struct TargetEntry {
        var values: [String: Double]
        var rendered: ByteBuffer
    }

    private static let separator: Character = "\u{0}"

    private func key(_ labels: [String]) -> String {
        labels.count == 1 ? labels[0] : labels.joined(separator: String(Self.separator))
    }

    private let targets = Locked<[String: TargetEntry]>([:])
    /// Bumped with every change, readable without the lock: a scrape checks it before emitting.
    private let changes = Atomic<UInt64>(0)

    /// A number that changes whenever the family's lines do.
    var generation: UInt64 { changes.load(ordering: .acquiring) }

    /// Replaces a target's rows (what was added or removed is the owner's to count, by identity).
    /// Rows equal to the last ones change nothing: no rendering, and no new generation, so the
    /// joined families and the gzip of the exposition stay as they are.
    func replace(target: String, rows: [Row]) {
        precondition(rows.allSatisfy { $0.labels.count == objectLabels.count }, "\(name): rows need \(objectLabels)")
        let previous = targets.withLock { $0[target]?.values }
        var values: [String: Double] = [:]
        values.reserveCapacity(rows.count)
        for row in rows {
            let key = key(row.labels)
            if let value = row.value ?? previous?[key] { values[key] = value }
        }
        if let previous, previous == values { return }
        let rendered = render(target: target, values: values)
        targets.withLock { $0[target] = TargetEntry(values: values, rendered: rendered) }
        changes.add(1, ordering: .releasing)
        exposition?.changed()
    }

    /// Forgets a target (when it is removed from the configuration or its collector turned off).
    func remove(target: String) {
        let removed = targets.withLock { $0.removeValue(forKey: target) != nil }
        if removed {
            changes.add(1, ordering: .releasing)
            exposition?.changed()
        }
    }

    /// The family in text format as buffers to write one after the other: the header, then each
    /// target's pre-rendered lines; none while no target has a row. ``generation`` says when they change.
    func emit() -> [ByteBuffer] {
        targets.withLock { entries in
            guard entries.values.contains(where: { !$0.values.isEmpty }) else { return [] }
            return [header] + entries.keys.sorted().map { entries[$0]!.rendered }
        }
    }

    // Sorted, so the exposition (and its diff between polls) is stable across restarts.
    private func render(target: String, values: [String: Double]) -> ByteBuffer {
        var prefix: [UInt8] = Array("\(name){\(ownerLabel)=\"".utf8)
        LabelValue.appendEscaped(target, to: &prefix)
        prefix.append(UInt8(ascii: "\""))
        let labelPrefixes = objectLabels.map { Array(",\($0)=\"".utf8) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(values.count * (prefix.count + 24 * objectLabels.count + 8))
        for key in values.keys.sorted() {
            buffer.append(contentsOf: prefix)
            let labels = objectLabels.count == 1 ? [Substring(key)] : key.split(separator: Self.separator, omittingEmptySubsequences: false)
            for (labelPrefix, value) in zip(labelPrefixes, labels) {
                buffer.append(contentsOf: labelPrefix)
                LabelValue.appendEscaped(value, to: &buffer)
                buffer.append(UInt8(ascii: "\""))
            }
            buffer.append(contentsOf: "} ".utf8)
            Self.append(values[key]!, to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
        return ByteBuffer(bytes: buffer)
    }

    /// Appends a value's text: 0 and 1 (presence, the dependency) without making a string.
    private static func append(_ value: Double, to buffer: inout [UInt8]) {
        switch value {
        case 1: buffer.append(UInt8(ascii: "1"))
        case 0: buffer.append(UInt8(ascii: "0"))
        default: buffer.append(contentsOf: format(value).utf8)
        }
    }

    /// Whole numbers without a fraction (counts, 0/1, Unix seconds), anything else as Swift prints it.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
