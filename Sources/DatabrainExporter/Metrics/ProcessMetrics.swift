#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Prometheus
import Locking

/// The standard `process_*` metrics, read from `/proc/self` when a scrape is rendered, at most
/// once a second: reading `/proc/self/stat` and listing `/proc/self/fd` on every scrape was a large
/// share of a scrape's CPU under load, and a sample less than a second old is as good to a
/// Prometheus that scrapes every 15 s or more.
///
/// swift-prometheus has no process collector and swift-system-metrics is not available here, so
/// the handful of values client_golang exports are read the same way it reads them.
final class ProcessMetrics: Sendable {
    private let cpu: CachedCounter
    private let resident: CachedGauge
    private let virtual: CachedGauge
    private let virtualMax: CachedGauge
    private let openFDs: CachedGauge
    private let maxFDs: CachedGauge
    private let startTime: CachedGauge
    private let threads: CachedGauge
    // The counter only increments, so remember what has been added already.
    private let cpuReported = Locked<Double>(0)
    private let lastUpdate = Locked<ContinuousClock.Instant?>(nil)
    static let minimumUpdateInterval = Duration.seconds(1)

    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    private static let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    private let rendered: RenderedRegistry

    init(registry rendered: RenderedRegistry) {
        self.rendered = rendered
        cpu = rendered.makeCounter(MetricCatalog.processCPU)
        resident = rendered.makeGauge(MetricCatalog.processResident)
        virtual = rendered.makeGauge(MetricCatalog.processVirtual)
        virtualMax = rendered.makeGauge(MetricCatalog.processVirtualMax)
        openFDs = rendered.makeGauge(MetricCatalog.processOpenFDs)
        maxFDs = rendered.makeGauge(MetricCatalog.processMaxFDs)
        startTime = rendered.makeGauge(MetricCatalog.processStartTime)
        threads = rendered.makeGauge(MetricCatalog.processThreads)
        if let stat = Self.readStat(), let boot = Self.bootTime() {
            startTime.set(to: boot + stat.startTicks / Self.ticksPerSecond)
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { maxFDs.set(to: Double(limit.rlim_cur)) }
        // RLIMIT_AS's soft limit; unlimited is RLIM_INFINITY, which client_golang exports as is.
        if getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0 { virtualMax.set(to: Double(limit.rlim_cur)) }
    }

    /// Reads the current values unless they were read less than a second ago; a missing `/proc`
    /// leaves the last values in place.
    func update() {
        let now = ContinuousClock.now
        let due = lastUpdate.withLock { last in
            guard last.map({ now - $0 >= Self.minimumUpdateInterval }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return }
        if let stat = Self.readStat() {
            let seconds = stat.cpuTicks / Self.ticksPerSecond
            let delta = cpuReported.withLock { reported -> Double in
                let delta = seconds - reported
                if delta > 0 { reported = seconds }
                return delta
            }
            if delta > 0 { cpu.increment(by: delta) }
            resident.set(to: stat.residentPages * Self.pageSize)
            virtual.set(to: stat.virtualBytes)
            threads.set(to: stat.threads)
        }
        if let count = Self.countOpenFDs() { openFDs.set(to: Double(count)) }
    }

    /// The fields of `/proc/self/stat` the process series need.
    struct Stat: Equatable {
        var cpuTicks: Double
        var threads: Double
        var startTicks: Double
        var virtualBytes: Double
        var residentPages: Double
    }

    private static func readStat() -> Stat? {
        guard case .success(let bytes) = FileSystem.readSmallFile("/proc/self/stat", limit: 4096) else { return nil }
        return parseStat(String(decoding: bytes, as: UTF8.self))
    }

    /// Parses `/proc/[pid]/stat` (proc(5)); nil if it is not that format.
    static func parseStat(_ text: String) -> Stat? {
        // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); field N is fields[N - 3].
        func field(_ number: Int) -> Double? { fields.count > number - 3 ? Double(fields[number - 3]) : nil }
        guard let utime = field(14), let stime = field(15), let threads = field(20), let start = field(22),
            let vsize = field(23), let rss = field(24)
        else { return nil }
        return Stat(cpuTicks: utime + stime, threads: threads, startTicks: start, virtualBytes: vsize, residentPages: rss)
    }

    private static func bootTime() -> Double? {
        guard case .success(let bytes) = FileSystem.readSmallFile("/proc/stat", limit: 1 << 20) else { return nil }
        return parseBootTime(String(decoding: bytes, as: UTF8.self))
    }

    /// The `btime` line of `/proc/stat`: boot time in Unix seconds.
    static func parseBootTime(_ text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).drop { $0 == " " })
        }
        return nil
    }

    private static func countOpenFDs() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            if entry.pointee.d_name.0 != UInt8(ascii: ".") { count += 1 }
        }
        return count - 1  // the descriptor opendir itself holds
    }
}
