#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import NIOSSL
import Locking

/// The current `--web.config.file`, re-read when it or a file it names changes.
///
/// Like exporter-toolkit, the file is consulted for every new connection and request, so a
/// rotated certificate or a changed password takes effect without a restart. A `stat` of each
/// file tells whether anything changed; only then is the file parsed and the TLS context built
/// again. A broken new version is logged once and the previous one kept.
final class WebConfigStore: Sendable {
    /// A loaded configuration and the TLS context made from it.
    struct Snapshot: Sendable {
        var config: WebConfig
        var tls: TLSServerContext?
    }

    private let path: String
    private let logger: Logger
    private let state: Locked<(fingerprint: [FileStamp], snapshot: Snapshot, failedFingerprint: [FileStamp]?)>

    /// Loads the file; throws a ``ConfigError`` when it is unusable at start-up.
    init(path: String, logger: Logger) throws(ConfigError) {
        self.path = path
        self.logger = logger
        let (fingerprint, snapshot) = try Self.load(path: path)
        state = Locked((fingerprint, snapshot, nil))
        Self.warn(about: snapshot.config, logger: logger)
    }

    /// The configuration to apply now, reloaded first if a file changed.
    func current() -> Snapshot {
        let (known, snapshot, failed) = state.withLock { ($0.fingerprint, $0.snapshot, $0.failedFingerprint) }
        let now = ([path] + snapshot.config.referencedFiles).map(FileStamp.init(path:))
        guard now != known, now != failed else { return snapshot }
        do {
            let (fingerprint, fresh) = try Self.load(path: path)
            state.withLock { $0 = (fingerprint, fresh, nil) }
            logger.info("web configuration reloaded", metadata: ["file": "\(path)"])
            Self.warn(about: fresh.config, logger: logger)
            return fresh
        } catch {
            state.withLock { $0.failedFingerprint = now }
            logger.error("web configuration reload failed; keeping the previous one", metadata: ["error": "\(error.message)"])
            return snapshot
        }
    }

    /// Each file is stamped before it is read, so a change made while loading is seen next time
    /// rather than recorded as already loaded.
    static func load(path: String) throws(ConfigError) -> ([FileStamp], Snapshot) {
        let configStamp = FileStamp(path: path)
        let config = try WebConfigLoader.load(path: path)
        let fileStamps = config.referencedFiles.map(FileStamp.init(path:))
        let tls = try config.tls.map { (tls) throws(ConfigError) -> TLSServerContext in try TLSContextFactory.make(tls, source: path) }
        return ([configStamp] + fileStamps, Snapshot(config: config, tls: tls))
    }
}

extension WebConfigStore {
    /// Settings that work but weaken the endpoint are accepted, as exporter-toolkit accepts them,
    /// and said loudly at every load.
    static func warn(about config: WebConfig, logger: Logger) {
        if let tls = config.tls, tls.minVersion < .tls12 {
            logger.warning("web config allows TLS older than 1.2 (min_version \(tls.minVersion.rawValue)); TLS 1.0 and 1.1 are deprecated (RFC 8996): use TLS12 or TLS13")
        }
    }
}

/// What `stat` says about a file: enough to notice a rewrite, a rename over it or a symlink swap.
struct FileStamp: Equatable, Sendable {
    var device: UInt64 = 0
    var inode: UInt64 = 0
    var size: Int64 = -1
    var modified: Int = 0
    var modifiedNanoseconds: Int = 0

    init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = info.st_mtim.tv_sec
        modifiedNanoseconds = info.st_mtim.tv_nsec
    }
}
