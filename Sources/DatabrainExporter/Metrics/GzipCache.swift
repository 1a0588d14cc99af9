import CompressNIO
import NIOCore
import Synchronization

/// The gzipped exposition, kept until one of its parts changes.
///
/// Prometheus asks for gzip on every scrape, and compressing a large exposition per scrape made
/// zlib the bottleneck of the endpoint. The parts change at most once a second (process series)
/// or once per poll, so the compressed bytes are reused until then (BENCHMARKS.md, gzip column).
final class GzipCache: Sendable {
    private let cached = Mutex<(key: [UInt64], bytes: ByteBuffer)?>(nil)

    /// The gzip of `parts` concatenated; `key` identifies their versions.
    func gzipped(key: [UInt64], parts: [ByteBuffer]) -> ByteBuffer {
        if let hit = cached.withLock({ $0?.key == key ? $0?.bytes : nil }) { return hit }
        var plain = ByteBuffer()
        plain.reserveCapacity(parts.reduce(0) { $0 + $1.readableBytes })
        for part in parts { plain.writeImmutableBuffer(part) }
        // Level 6 (zlib's default) compresses this repetitive text 15-20 times.
        let compressed: ByteBuffer
        do {
            compressed = try plain.compress(with: .gzip())
        } catch {
            // zlib fails only on allocation failure; a scrape then gets nothing rather than a lie.
            return ByteBuffer()
        }
        cached.withLock { $0 = (key, compressed) }
        return compressed
    }
}
