/// Content negotiation for `/metrics`: does the client take gzip?
enum AcceptEncoding {
    /// Whether an `Accept-Encoding` header value accepts gzip (`gzip`, `x-gzip` or `*`, unless
    /// given `q=0`), per RFC 9110 §12.5.3. Prometheus sends `gzip`.
    static func allowsGzip(_ values: [String]) -> Bool {
        // What Prometheus sends on every scrape, answered without the parse below (a split and a
        // lowercased copy per item were 3 % of the gzip path's CPU).
        if values.count == 1, values[0] == "gzip" { return true }
        for value in values {
            for item in value.split(separator: ",") {
                let pieces = item.split(separator: ";").map { $0.trimmingWhitespace().lowercased() }
                guard let coding = pieces.first, ["gzip", "x-gzip", "*"].contains(coding) else { continue }
                let quality = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
                return quality > 0
            }
        }
        return false
    }
}
