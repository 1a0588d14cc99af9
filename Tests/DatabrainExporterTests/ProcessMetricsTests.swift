import Testing
@testable import DatabrainExporter

/// `process_*` values come from parsing `/proc`; a wrong field would put CPU time in the thread
/// count without any error, so the parsing is checked field by field.
@Suite struct ProcessMetricsTests {
    // proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime(14) stime(15) cutime cstime priority nice num_threads(20) itrealvalue starttime(22)
    // vsize(23) rss(24) ...
    private static let stat = "4242 (databrain (x) y) S 1 4242 4242 0 -1 4194560 900 0 0 0 150 50 0 0 20 0 7 0 123456 987654321 2048 18446744073709551615 1 1 0 0 0 0 0 4096 17665 0 0 0 17 1 0 0 0 0 0\n"

    @Test func theStatLineIsReadAfterTheLastParenthesisOfTheCommandName() {
        #expect(ProcessMetrics.parseStat(Self.stat) == ProcessMetrics.Stat(
            cpuTicks: 200, threads: 7, startTicks: 123456, virtualBytes: 987654321, residentPages: 2048))
    }

    @Test func somethingElseIsNotAStatLine() {
        #expect(ProcessMetrics.parseStat("") == nil)
        #expect(ProcessMetrics.parseStat("4242 (short) S 1 2 3") == nil)
        #expect(ProcessMetrics.parseStat(Self.stat.replacing(" 150 ", with: " x ")) == nil)
    }

    @Test func bootTimeComesFromTheBtimeLine() {
        #expect(ProcessMetrics.parseBootTime("cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n") == 1_700_000_000)
        #expect(ProcessMetrics.parseBootTime("cpu  1 2 3\n") == nil)
    }

    @Test func theLiveProcessIsReadable() {
        let metrics = ExporterMetrics()
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        let resident = text.split(separator: "\n").first { $0.hasPrefix("process_resident_memory_bytes ") }
        #expect(resident.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 > 1_000_000 } == true)
    }
}
