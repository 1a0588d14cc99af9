/// What a collector's run found, before anything is recorded: its object count, the rows of each
/// family and the identities of each change counter, each added against a handle the collector
/// declared (``CollectorSeriesDeclaration``). The keys are the handles'; a collector never names
/// a metric.
struct CollectorListing: Sendable, Equatable {
    /// The collector's objects (unique), for its ``CountGauge``; nil when it counts nothing.
    var count: Int?
    /// Items the list's pages left out for want of their identity (``ListPage/skipped``).
    var skipped = 0
    /// A remark about the answers worth one log line (``ListPage/notice``).
    var notice: String? = nil
    private var rows: [String: [ObjectFamily.Row]] = [:]
    private var identities: [String: Set<String>] = [:]

    init(count: Int? = nil) {
        self.count = count
    }

    mutating func add(_ family: Family1, _ label: String, value: Double? = 1) {
        rows[family.metric.name, default: []].append(.init([label], value))
    }

    mutating func add(_ family: Family2, _ first: String, _ second: String, value: Double? = 1) {
        rows[family.metric.name, default: []].append(.init([first, second], value))
    }

    mutating func add(_ family: Family3, _ first: String, _ second: String, _ third: String, value: Double? = 1) {
        rows[family.metric.name, default: []].append(.init([first, second, third], value))
    }

    /// Counts `identity` as present for `counter` (what "added" and "removed" compare: an embed is
    /// its data app and embed_id, not its display name).
    mutating func identify(_ counter: ChangeCounter, _ identity: String) {
        identities[counter.metric.name, default: []].insert(identity)
    }

    /// Sets every identity of `counter` at once.
    mutating func identify(_ counter: ChangeCounter, all: Set<String>) {
        identities[counter.metric.name, default: []].formUnion(all)
    }

    /// The rows added to `family` (none: the family has no series for the target this poll).
    func rows(of family: any DeclaredFamily) -> [ObjectFamily.Row] { rows[family.metric.name] ?? [] }

    /// The identities counted for `counter`.
    func identities(of counter: ChangeCounter) -> Set<String> { identities[counter.metric.name] ?? [] }
}
