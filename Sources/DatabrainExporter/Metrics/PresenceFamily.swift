import NIOCore
import Synchronization

/// An info family of one series of value 1 per object and target: `databrain_datasource_info`,
/// `databrain_workspace_info`, … The series of an object that is gone disappear with it.
///
/// This family is kept here instead of in swift-prometheus because the registry copies a family's
/// whole label dictionary for every series added or removed (copy-on-write while the old value is
/// still referenced): registering n series is quadratic, so an organisation with 100,000
/// datasources would stall a poll for minutes (the README's dependency notes give figures). Here a
/// poll replaces a target's set in O(n) and renders its lines once into a `ByteBuffer` that every
/// scrape hands to the socket as is (a reference, not a copy: scrapes cost the same at 100 or
/// 100,000 datasources apart from the bytes on the wire).
final class PresenceFamily: Sendable {
    let name: String
    /// The owner's label and the object's label, from the contract (`target`, `datasource`).
    let labelNames: (owner: String, object: String)
    private let header: ByteBuffer

    /// The family of `metric`, whose contract has exactly an owner and an object label.
    init(_ metric: MetricDefinition) {
        let names = metric.labelNames
        precondition(names.count == 2 && metric.kind == .gauge, "\(metric.name) must be a gauge with an owner and an object label, not \(names)")
        name = metric.name
        labelNames = (names[0], names[1])
        header = ByteBuffer(string: "# HELP \(metric.name) \(metric.help)\n# TYPE \(metric.name) gauge\n")
    }

    private struct TargetEntry {
        var names: Set<String>
        var rendered: ByteBuffer
    }

    private let targets = Mutex<(entries: [String: TargetEntry], generation: UInt64)>(([:], 0))

    /// Replaces a target's datasources; returns how many were added and removed since the last
    /// call, or nil on the first call for the target (there is nothing to compare with).
    func replace(target: String, with names: Set<String>) -> (added: Int, removed: Int)? {
        let rendered = render(target: target, names: names)
        return targets.withLock { targets in
            targets.generation += 1
            let entry = targets.entries.updateValue(TargetEntry(names: names, rendered: rendered), forKey: target)
            guard let previous = entry?.names else { return nil }
            let added = names.subtracting(previous).count
            return (added, previous.count + added - names.count)
        }
    }

    /// Forgets a target (when it is removed from the configuration).
    func remove(target: String) {
        targets.withLock { targets in
            targets.generation += 1
            targets.entries.removeValue(forKey: target)
        }
    }

    /// The family in text format as buffers to write one after the other (the header, then each
    /// target's pre-rendered lines; none while no target has datasources), and a generation that
    /// changes whenever they do.
    func emit() -> (generation: UInt64, parts: [ByteBuffer]) {
        targets.withLock { targets in
            let entries = targets.entries
            guard entries.values.contains(where: { !$0.names.isEmpty }) else { return (targets.generation, []) }
            return (targets.generation, [header] + entries.keys.sorted().map { entries[$0]!.rendered })
        }
    }

    // Sorted, so the exposition (and its diff between polls) is stable across restarts.
    private func render(target: String, names: Set<String>) -> ByteBuffer {
        var prefix: [UInt8] = Array("\(name){\(labelNames.owner)=\"".utf8)
        LabelValue.appendEscaped(target, to: &prefix)
        prefix.append(contentsOf: "\",\(labelNames.object)=\"".utf8)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(names.count * (prefix.count + 24))
        for datasource in names.sorted() {
            buffer.append(contentsOf: prefix)
            LabelValue.appendEscaped(datasource, to: &buffer)
            buffer.append(contentsOf: "\"} 1\n".utf8)
        }
        return ByteBuffer(bytes: buffer)
    }
}
