import NIOCore
import Locking

/// The poll-derived series as one exposition: targets' series kept in registries of at most
/// ``targetsPerShard`` targets each (plus one for the exporter-wide series), whose renderings are
/// merged family by family.
///
/// One registry for every target made both registration and scrapes grow with the whole
/// exposition: swift-prometheus copies a family's label dictionary for every series added
/// (registering 1,000 targets took 30 s), and any poll made the next scrape render all 1,000
/// targets again. A registry per target fixed both but cost 38 MiB at 1,000 targets (22,000 small
/// dictionaries and as many text pieces). Shards of 32 keep registration cheap, re-render only
/// the shard of the target that changed, and serve the exposition as slices of the shards'
/// renderings: a scrape copies nothing, and one after a poll renders 32 targets, not 1,000.
final class RegistrySet: Sendable {
    /// Targets per registry: small enough that a change re-renders little, large enough that the
    /// registries' own dictionaries stay few.
    static let targetsPerShard = 32

    private struct Shard {
        let registry: RenderedRegistry
        /// The targets whose series live here; the exporter-wide registry has none and takes none.
        var targets: Set<String>
        let takesTargets: Bool
    }

    private let shards = Locked<(version: UInt64, list: [Shard])>((0, []))
    private let merged = Locked<(key: [UInt64], merge: Merge)>(([], Merge()))
    /// Told of every change of the shards and, through them, of every series write.
    private let changes: ExpositionChanges

    init(changes: ExpositionChanges = ExpositionChanges()) {
        self.changes = changes
    }

    /// One merge in both formats: the same sample slices, under 0.0.4 or OpenMetrics headers.
    struct Merge: Sendable {
        var text: [ByteBuffer] = []
        var openMetrics: [ByteBuffer] = []
    }

    /// Adds a registry of series that belong to no target (build info, reloads, origins).
    func add(_ registry: RenderedRegistry) {
        shards.withLock { shards in
            shards.version &+= 1
            shards.list.append(Shard(registry: registry, targets: [], takesTargets: false))
        }
        changes.changed()
    }

    /// The registry `target`'s series go into: a shard with room, or a new one.
    func registry(for target: String) -> RenderedRegistry {
        defer { changes.changed() }
        return shards.withLock { shards in
            shards.version &+= 1
            if let index = shards.list.firstIndex(where: { $0.takesTargets && $0.targets.count < Self.targetsPerShard }) {
                shards.list[index].targets.insert(target)
                return shards.list[index].registry
            }
            let registry = RenderedRegistry(changes: changes)
            shards.list.append(Shard(registry: registry, targets: [target], takesTargets: true))
            return registry
        }
    }

    /// Frees `target`'s place once its series were unregistered from `registry`.
    func release(_ target: String, from registry: RenderedRegistry) {
        shards.withLock { shards in
            shards.version &+= 1
            if let index = shards.list.firstIndex(where: { $0.registry === registry }) { shards.list[index].targets.remove(target) }
        }
        changes.changed()
    }

    /// The merged exposition as buffers to send in order (slices of the shards' renderings, no
    /// copy), in both formats, with a key that changes whenever they do; merged again only after a
    /// shard rendered anew or the shards changed.
    func rendered() -> (key: [UInt64], merge: Merge) {
        let (version, registries) = shards.withLock { ($0.version, $0.list.map(\.registry)) }
        let renderings = registries.map { $0.renderedFamilies() }
        let key = [version] + renderings.map(\.generation)
        if let hit = merged.withLock({ $0.key == key ? $0.merge : nil }) { return (key, hit) }
        let merge = Self.merge(renderings.map(\.families))
        merged.withLock { $0 = (key, merge) }
        return (key, merge)
    }

    /// Each family once, sorted by name (stable across restarts, unlike a registry's own order):
    /// its header, then its samples from every registry in order.
    static func merge(_ renderings: [[FamilyText]]) -> Merge {
        var byName: [String: (header: ByteBuffer, samples: [ByteBuffer])] = [:]
        for families in renderings {
            for family in families {
                if byName[family.name] == nil { byName[family.name] = (family.header, []) }
                if family.samples.readableBytes > 0 { byName[family.name]!.samples.append(family.samples) }
            }
        }
        var merge = Merge()
        for name in byName.keys.sorted() {
            let family = byName[name]!
            merge.text += [family.header] + family.samples
            merge.openMetrics += [OpenMetricsText.header(family.header)] + family.samples
        }
        return merge
    }
}
