#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The listening sockets systemd passes to a socket-activated service (sd_listen_fds(3)):
/// `LISTEN_PID` is this process and `LISTEN_FDS` sockets start at descriptor 3.
enum SystemdSockets {
    static let firstDescriptor: Int32 = 3

    /// The passed descriptors; one line that says what is wrong when there are none.
    static func inherited() throws(ConfigError) -> [Int32] {
        func variable(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        guard let pid = variable("LISTEN_PID"), Int32(pid) == getpid(), let countText = variable("LISTEN_FDS"), let count = Int32(countText), count > 0 else {
            throw ConfigError("--web.systemd-socket: no socket activation file descriptors found (LISTEN_FDS and LISTEN_PID are not set for this process); start it from a systemd .socket unit, or use --web.listen-address")
        }
        // Not for child processes: the variables describe this process only.
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        return (0..<count).map { firstDescriptor + $0 }
    }
}
