import NIOCore
import Synchronization

/// The poll-derived series as one exposition, kept in one ``RenderedRegistry`` per target (and
/// one for the exporter-wide series), merged family by family.
///
/// One registry for every target made both registration and scrapes grow with the whole
/// exposition: swift-prometheus copies a family's label dictionary for every series added
/// (registering 1,000 targets took over a minute), and any poll made the next scrape render all
/// 1,000 targets again. Here a target's registry holds its own two dozen series, a poll re-renders
/// only that target, and a scrape after it re-joins cached text: it costs what the change costs,
/// plus one copy of the bytes.
final class RegistrySet: Sendable {
    /// The registries in exposition order (by key), and a number that changes with membership.
    private let members = Mutex<(version: UInt64, ordered: [(key: String, registry: RenderedRegistry)])>((0, []))
    private let merged = Mutex<(key: [UInt64], bytes: ByteBuffer)>(([], ByteBuffer()))

    /// Adds `registry` under `key` (a target's keys sort after the exporter-wide ones).
    func add(_ registry: RenderedRegistry, key: String) {
        members.withLock { members in
            members.version &+= 1
            let index = members.ordered.firstIndex { $0.key > key } ?? members.ordered.endIndex
            members.ordered.insert((key, registry), at: index)
        }
    }

    /// Removes `registry`: its series leave the exposition.
    func remove(_ registry: RenderedRegistry) {
        members.withLock { members in
            members.version &+= 1
            members.ordered.removeAll { $0.registry === registry }
        }
    }

    /// The merged text and a key that changes whenever it does; merged again only after a member
    /// rendered anew or membership changed.
    func rendered() -> (key: [UInt64], bytes: ByteBuffer) {
        let (version, ordered) = members.withLock { ($0.version, $0.ordered) }
        let renderings = ordered.map { $0.registry.renderedFamilies() }
        let key = [version] + renderings.map(\.generation)
        if let hit = merged.withLock({ $0.key == key ? $0.bytes : nil }) { return (key, hit) }
        let bytes = Self.merge(renderings.map(\.families))
        merged.withLock { $0 = (key, bytes) }
        return (key, bytes)
    }

    /// Each family once, sorted by name (stable across restarts, unlike a registry's own order):
    /// its header, then its samples from every registry in order.
    static func merge(_ renderings: [[FamilyText]]) -> ByteBuffer {
        var byName: [String: (header: ArraySlice<UInt8>, samples: [ArraySlice<UInt8>])] = [:]
        var size = 0
        for families in renderings {
            for family in families {
                size += family.samples.count
                if byName[family.name] == nil {
                    byName[family.name] = (family.header, [])
                    size += family.header.count
                }
                byName[family.name]!.samples.append(family.samples)
            }
        }
        var bytes = ByteBuffer()
        bytes.reserveCapacity(size)
        for name in byName.keys.sorted() {
            let family = byName[name]!
            bytes.writeBytes(family.header)
            for samples in family.samples { bytes.writeBytes(samples) }
        }
        return bytes
    }
}
