import Foundation

/// A child process whose stdout and stderr go to files, so the tests can read them at any time
/// without a pipe filling up; killed on deinit, and in any case when the test run exits, so a
/// failing test never leaks a server.
final class ManagedProcess: @unchecked Sendable {
    let name: String
    private let process: ChildProcess
    let stdoutPath: String
    let stderrPath: String

    /// `asServiceUser` starts it as uid 65532 when the suite runs as root (see ``ServiceUser``);
    /// `stdin` is a file to read standard input from (else /dev/null).
    init(name: String, executable: String, arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
         asServiceUser: Bool = false) throws {
        self.name = name
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dbx-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        stdoutPath = directory.appendingPathComponent("stdout").path
        stderrPath = directory.appendingPathComponent("stderr").path
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let command = asServiceUser ? try ServiceUser.command(executable, arguments) : (executable, arguments)
        var env = ProcessInfo.processInfo.environment
        for key in ["DATABRAIN_URL", "DATABRAIN_TOKEN", "DATABRAIN_TOKEN_FILE", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"] { env[key] = nil }
        env.merge(environment) { _, new in new }
        process = try ChildProcess(executable: command.0, arguments: command.1, environment: env, stdinPath: stdin,
                                   stdoutPath: stdoutPath, stderrPath: stderrPath)
        Survivors.track(process.pid)
        // setpriv execs the binary in place, so from here on the pid is the exporter's own.
    }

    deinit {
        if process.isRunning { kill(process.pid, SIGKILL) }
        Survivors.forget(process.pid)
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    var isRunning: Bool { process.isRunning }
    var pid: Int32 { process.pid }

    /// Waits for the first match of `pattern` in stdout or stderr and returns capture group 1.
    func waitForOutput(_ pattern: String, timeout: Duration = .seconds(20)) async throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        return try await eventually("\(name) to print /\(pattern)/", timeout: timeout) {
            for text in [stdout, stderr] {
                let range = NSRange(text.startIndex..., in: text)
                if let match = regex.firstMatch(in: text, range: range) {
                    let group = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
                    return String(text[Range(group, in: text)!])
                }
            }
            if let status = process.status { throw HarnessError("\(name) exited (\(status)) before printing /\(pattern)/:\n\(stderr)") }
            return nil
        }
    }

    /// Sends a signal.
    func signal(_ signal: Int32) { kill(process.pid, signal) }

    /// A `/proc/PID/status` field in KiB (VmRSS, VmHWM), or nil when the process is gone.
    static func statusField(_ field: String, of process: ManagedProcess) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(process.pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// Waits for the process to exit and returns its status.
    func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32 {
        try await eventually("\(name) to exit", timeout: timeout) { process.status }
    }

    /// SIGTERM, then the exit status.
    @discardableResult
    func stop() async throws -> Int32 {
        if let status = process.status { return status }
        signal(SIGTERM)
        return try await waitForExit()
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` every 25 ms until it returns a value; fails with what it waited for.
@discardableResult
func eventually<T>(_ what: String, timeout: Duration = .seconds(45), _ condition: () async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now + timeout * SanitizerSlowdown.factor
    while true {
        if let value = try await condition() { return value }
        guard ContinuousClock.now < deadline else { throw HarnessError("timed out after \(timeout) waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(25))
    }
}

/// Every child still running when the test process exits is killed then: a test that fails by
/// throwing may leave its objects alive until exit, and their servers must not outlive the run.
enum Survivors {
    nonisolated(unsafe) private static var pids = Set<Int32>()
    private static let lock = NSLock()
    private static let installExitHook: Void = {
        atexit {
            Survivors.lock.lock()
            for pid in Survivors.pids { kill(pid, SIGKILL) }
            Survivors.lock.unlock()
        }
    }()

    static func track(_ pid: Int32) {
        _ = installExitHook
        lock.lock()
        pids.insert(pid)
        lock.unlock()
    }

    static func forget(_ pid: Int32) {
        lock.lock()
        pids.remove(pid)
        lock.unlock()
    }
}
