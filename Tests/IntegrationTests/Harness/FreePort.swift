import Foundation

/// Free loopback ports, for servers that cannot report a kernel-chosen one (Prometheus, Alertmanager).
enum FreePort {
    /// A port that was free a moment ago: the caller must retry if another process takes it first.
    static func pick() throws -> Int { try ClosedPort().port }

    /// Starts `executable` with `arguments(port)` on a free port and waits until its `/-/ready`
    /// answers 200; if it exits first (another process won the port), tries another port, 3 times.
    static func start(name: String, executable: String, arguments: (Int) -> [String]) async throws -> (ManagedProcess, Int) {
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try pick()
            let process = try ManagedProcess(name: name, executable: executable, arguments: arguments(port))
            do {
                try await eventually("\(name) to become ready", timeout: .seconds(60)) {
                    if !process.isRunning { throw HarnessError("\(name) exited: \(process.stderr)") }
                    return (try? await HTTP.get("http://127.0.0.1:\(port)/-/ready"))?.status == 200 ? true : nil
                }
                return (process, port)
            } catch {
                lastError = error
                process.signal(SIGKILL)
            }
        }
        throw lastError ?? HarnessError("\(name) did not start")
    }
}
