#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Unbuffered writes to stdout and stderr by file descriptor.
///
/// C's `stdout`/`stderr` globals are mutable shared state that Swift 6 rejects; a `write(2)` of a
/// whole line is atomic for lines this short, so log lines from several threads never interleave.
public enum StandardStreams {
    /// Writes text to stderr as is.
    public static func writeError(_ text: String) { write(fd: 2, text) }

    /// Writes text to stdout as is.
    public static func writeOutput(_ text: String) { write(fd: 1, text) }

    /// Writes bytes to stdout.
    public static func writeOutput(_ bytes: [UInt8]) { write(fd: 1, bytes) }

    private static func write(fd: Int32, _ text: String) {
        write(fd: fd, Array(text.utf8))
    }

    private static func write(fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { buffer in
                #if canImport(Glibc)
                Glibc.write(fd, buffer.baseAddress, buffer.count)
                #else
                Musl.write(fd, buffer.baseAddress, buffer.count)
                #endif
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
