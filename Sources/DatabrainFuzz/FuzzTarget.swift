/// One fuzz target: a parser of bytes the exporter does not control, and what must hold for any
/// input. A target returns normally for every input it survives; a broken property traps
/// (`precondition`), which libFuzzer and `--run-input` both report as a crash.
struct FuzzTarget: Sendable {
    /// Where the bytes come from: the Databrain API, a configuration file, or a scraper.
    enum Source: String, Sendable {
        case api, configuration, server
    }

    let name: String
    let source: Source
    /// What it checks, for `scripts/fuzz --list`.
    let summary: String
    let run: @Sendable ([UInt8]) -> Void
}

extension [UInt8] {
    /// The input as text, as a header or a file would reach the exporter (invalid UTF-8 repaired).
    var text: String { String(decoding: self, as: UTF8.self) }

    /// The input split in two at its first NUL (e.g. a status code and a body), or all of it twice.
    var halves: (first: [UInt8], second: [UInt8]) {
        guard let nul = firstIndex(of: 0) else { return (self, self) }
        return (Array(self[..<nul]), Array(self[(nul + 1)...]))
    }
}
