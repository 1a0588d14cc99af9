import CompressNIO
import NIOCore
import Locking

/// The gzipped exposition, kept until one of its parts changes.
///
/// Prometheus asks for gzip on every scrape, and compressing a large exposition per scrape made
/// zlib the bottleneck of the endpoint. The parts change at most once a second (process series)
/// or once per poll, so the compressed bytes are reused until then (BENCHMARKS.md, gzip column).
final class GzipCache: Sendable {
    private let cached = Locked<(key: [UInt64], bytes: ByteBuffer)?>(nil)

    /// The gzip of `parts` concatenated; `key` identifies their versions.
    func gzipped(key: [UInt64], parts: [ByteBuffer]) -> ByteBuffer {
        if let hit = cached.withLock({ $0?.key == key ? $0?.bytes : nil }) { return hit }
        guard let compressed = try? Self.compress(parts) else {
            // zlib fails only on allocation failure; a scrape then gets nothing rather than a lie.
            return ByteBuffer()
        }
        cached.withLock { $0 = (key, compressed) }
        return compressed
    }

    /// One gzip member, streamed part by part through a 64 KiB window: the parts are not copied
    /// into one plain buffer first, and the result is only as large as the compressed bytes
    /// (a one-shot compression allocates its output at the plain size, and kept it that large).
    /// Level 6 (zlib's default) compresses this repetitive text 15-25 times.
    static func compress(_ parts: [ByteBuffer]) throws -> ByteBuffer {
        let compressor = CompressionAlgorithm.gzip().compressor
        compressor.window = ByteBufferAllocator().buffer(capacity: 64 * 1024)
        try compressor.startStream()
        defer { try? compressor.finishStream() }
        var compressed = ByteBuffer()
        let streamed = parts.filter { $0.readableBytes > 0 }
        for (index, part) in streamed.enumerated() {
            var input = part
            try input.compressStream(with: compressor, flush: index == streamed.count - 1 ? .finish : .no) { compressed.writeImmutableBuffer($0) }
        }
        if streamed.isEmpty {
            var empty = ByteBuffer()
            try empty.compressStream(with: compressor, flush: .finish) { compressed.writeImmutableBuffer($0) }
        }
        return compressed
    }
}
