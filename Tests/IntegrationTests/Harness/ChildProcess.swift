import Foundation

/// A child started with `posix_spawn`, not Foundation's `Process`: on Swift 6.3.1 `Process.run()`
/// crashes now and then (a 256-byte over-read of `struct dirent` in
/// findMaximumOpenFromProcSelfFD, swift-corelibs-foundation PR 5472), about one suite run in five
/// here, since the suite starts hundreds of processes.
///
/// Signals start at their defaults in the child, as in a shell: a test can send SIGINT as
/// Ctrl-C would.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `executable` with stdin from `stdinPath` (or /dev/null) and stdout and stderr
    /// appended to the given files.
    init(executable: String, arguments: [String], environment: [String: String], stdinPath: String?, stdoutPath: String, stderrPath: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        // Nothing else of the test process: tests run in parallel, and a descriptor another test
        // holds at this moment (a socket, a token file) would otherwise stay open in the child,
        // which is not how a deployed exporter starts and made its fd count depend on the suite.
        // (glibc 2.34+ has posix_spawn_file_actions_addclosefrom_np; Swift's Glibc module does not
        // declare it, so it is looked up.)
        guard let closeFrom = Self.addCloseFrom, closeFrom(&actions, 3) == 0 else {
            throw HarnessError("posix_spawn_file_actions_addclosefrom_np is missing: the children would inherit the test's descriptors")
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw HarnessError("cannot start \(executable): \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// Whether it still runs; reaps it (once) when it has exited.
    var isRunning: Bool { status == nil }

    /// The exit status (128 + the signal for a child killed by one), or nil while it runs.
    var status: Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
        exitStatus = Self.decode(raw)
        return exitStatus
    }

    /// Blocks until it exits (for the few synchronous helpers, such as openssl).
    func waitUntilExit() -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        exitStatus = Self.decode(raw)
        return exitStatus!
    }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}
