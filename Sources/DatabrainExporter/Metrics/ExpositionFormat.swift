import Locking

/// The two exposition formats `/metrics` serves, negotiated on `Accept` as client_golang's
/// promhttp does with OpenMetrics enabled (`expfmt.NegotiateIncludingOpenMetrics`): the first
/// acceptable type in the client's order of preference wins, and text 0.0.4 is the default.
public enum ExpositionFormat: Sendable, Equatable {
    /// `text/plain; version=0.0.4`.
    case text
    /// `application/openmetrics-text`, in the version asked for (1.0.0 or 0.0.1; the bytes are the same).
    case openMetrics(version: String)

    public var contentType: String {
        switch self {
        case .text: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics(let version): "application/openmetrics-text; version=\(version); charset=utf-8"
        }
    }

    /// Prometheus sends the same `Accept` with every scrape, so the answer is kept for the last
    /// few distinct headers and the parse below (a split, a lowercased copy and a dictionary per
    /// media range) runs once, not per scrape: measured, it cost the OpenMetrics gzip path 12-15 % of its
    /// requests per second with Prometheus' four-range header (Benchmarks/openmetrics.py).
    /// Headers over 512 bytes are answered but not kept, and the table is emptied when it holds
    /// 16, so no client can grow it.
    static func negotiate(remembering accept: [String]) -> ExpositionFormat {
        // No Accept header (curl, wrk, load balancers' checks): text, without the table's lock.
        if accept.isEmpty { return .text }
        let key = accept.count == 1 ? accept[0] : accept.joined(separator: ",")
        if let known = remembered.withLock({ $0[key] }) { return known }
        let format = negotiate(accept)
        if key.utf8.count <= 512 {
            remembered.withLock { table in
                if table.count >= 16 { table.removeAll(keepingCapacity: true) }
                table[key] = format
            }
        }
        return format
    }

    private static let remembered = Locked<[String: ExpositionFormat]>([:])

    /// The format for the `Accept` header values (none: text). Types are tried by quality, highest
    /// first, ties in the order given; `q=0` refuses a type. protobuf is not served, so a
    /// client that prefers it gets the next type it accepts.
    static func negotiate(_ accept: [String]) -> ExpositionFormat {
        var offers: [(quality: Double, index: Int, format: ExpositionFormat)] = []
        for (index, item) in accept.flatMap({ $0.split(separator: ",") }).enumerated() {
            let pieces = item.split(separator: ";").map { $0.trimmingWhitespace().lowercased() }
            guard let type = pieces.first else { continue }
            var parameters: [String: String] = [:]
            for piece in pieces.dropFirst() {
                let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
                if pair.count == 2 { parameters[pair[0]] = pair[1].trimmingCharacters(in: "\"") }
            }
            let quality = parameters["q"].flatMap(Double.init) ?? 1
            guard quality > 0 else { continue }
            let version = parameters["version"] ?? ""
            switch type {
            case "text/plain" where version == "0.0.4" || version.isEmpty:
                offers.append((quality, index, .text))
            case "application/openmetrics-text" where version == "1.0.0" || version == "0.0.1" || version.isEmpty:
                offers.append((quality, index, .openMetrics(version: version.isEmpty ? "0.0.1" : version)))
            default:
                continue
            }
        }
        return offers.min { ($0.quality, -$0.index) > ($1.quality, -$1.index) }?.format ?? .text
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
