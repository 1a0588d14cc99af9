import Foundation

/// The user the image and the Kubernetes sidecar run the exporter as: uid and gid 65532, no
/// supplementary groups. The suite starts the exporter and the simulator that way whenever it runs
/// as root (as CI does), so that anything that works only for root fails here, not in a cluster.
enum ServiceUser {
    static let id: UInt32 = 65532

    /// Whether processes started through ``command(_:_:)`` drop to the service user.
    static var drops: Bool { geteuid() == 0 }

    /// `executable` and `arguments`, wrapped in `setpriv` when the suite runs as root. Throws when
    /// it cannot drop privileges: a suite that silently ran the exporter as root would prove nothing.
    static func command(_ executable: String, _ arguments: [String]) throws -> (executable: String, arguments: [String]) {
        guard drops else { return (executable, arguments) }
        guard let setpriv = BuildProducts.systemTool("setpriv") else {
            throw HarnessError("running as root but setpriv (util-linux) is missing: cannot start the exporter as uid \(id) as it is deployed")
        }
        return (setpriv, ["--reuid=\(id)", "--regid=\(id)", "--clear-groups", "--", try reachable(executable)] + arguments)
    }

    /// Fails unless process `pid` runs as the service user (when the suite drops privileges at all).
    static func check(pid: Int32, name: String) throws {
        guard drops else { return }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let uids = status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst()
        guard let uids, !uids.isEmpty, uids.allSatisfy({ $0 == "\(id)" }) else {
            throw HarnessError("\(name) (pid \(pid)) does not run as uid \(id): \(uids.map { $0.joined(separator: " ") } ?? "no /proc entry")")
        }
    }

    /// Makes a file the tests wrote (a key, a token) readable by the service user, as a mounted secret is.
    static func grantRead(_ path: String) {
        guard drops else { return }
        chmod(path, 0o644)
    }

    /// The build folder may sit below a directory only root can enter (a clone in `mktemp -d`):
    /// then the binary is linked or copied once into a world-readable folder.
    private static func reachable(_ executable: String) throws -> String {
        if everyParentIsSearchable(executable) { return executable }
        lock.lock()
        defer { lock.unlock() }
        if let staged = staged[executable] { return staged }
        let directory = "/tmp/databrain-service-user-\(getpid())"
        mkdir(directory, 0o755)
        chmod(directory, 0o755)
        let target = directory + "/" + URL(fileURLWithPath: executable).lastPathComponent
        unlink(target)
        if link(executable, target) != 0 { try FileManager.default.copyItem(atPath: executable, toPath: target) }
        chmod(target, 0o755)
        staged[executable] = target
        return target
    }

    private static func everyParentIsSearchable(_ path: String) -> Bool {
        var directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        while directory.path != "/" {
            var info = stat()
            guard stat(directory.path, &info) == 0, info.st_mode & S_IXOTH != 0 else { return false }
            directory = directory.deletingLastPathComponent()
        }
        return true
    }

    nonisolated(unsafe) private static var staged: [String: String] = [:]
    private static let lock = NSLock()
}
