#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the exporter needs, with errno turned into readable messages.
///
/// Plain POSIX keeps token reads cheap enough to do before every poll.
enum FileSystem {
    /// A failed read: the message says why (`No such file or directory`, ...).
    struct ReadError: Error {
        var message: String
    }

    /// Reads a whole file of at most `limit` bytes.
    static func readSmallFile(_ path: String, limit: Int) -> Result<[UInt8], ReadError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ReadError(message: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(ReadError(message: String(cString: strerror(errno))))
            }
            if count == 0 { return .success(bytes) }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { return .failure(ReadError(message: "larger than \(limit) bytes")) }
        }
    }

    /// Whether the process can read the file.
    static func isReadable(_ path: String) -> Bool {
        access(path, R_OK) == 0
    }
}
