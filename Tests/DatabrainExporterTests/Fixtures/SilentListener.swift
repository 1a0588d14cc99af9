import Glibc

/// A loopback server that never answers: the socket listens but nothing accepts, so the kernel
/// completes each connection into the backlog and the request sent on it waits forever. What a
/// hung API looks like to a client, with no thread of the test's spent on it.
final class SilentListener: @unchecked Sendable {
    let port: Int
    fileprivate let fd: Int32

    init(backlog: Int32 = 1024) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, backlog) == 0 else { close(fd); throw FixtureError("bind() or listen() failed") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }

    /// `http://127.0.0.1:PORT`.
    var url: String { "http://127.0.0.1:\(port)" }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension SilentListener {
    /// Accepts the connection waiting in the backlog and reads it until the client closes it:
    /// the bytes a client wrote, or nil when no connection is waiting.
    func bytesOfWaitingConnection(timeout: Duration = .seconds(5)) throws -> Int? {
        var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&ready, 1, 0) == 1 else { return nil }
        let connection = accept(fd, nil, nil)
        guard connection >= 0 else { throw FixtureError("accept() failed") }
        defer { close(connection) }
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        var waiting = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
        while poll(&waiting, 1, Int32(timeout.components.seconds * 1000)) == 1 {
            let count = read(connection, &buffer, buffer.count)
            if count <= 0 { break }
            total += count
        }
        return total
    }
}
