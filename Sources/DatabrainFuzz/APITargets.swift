import FoundationEssentials
@testable import DatabrainExporter

/// What the Databrain API sends: list pages, error bodies, health documents and rate-limit headers.
enum APITargets {
    static let all: [FuzzTarget] = [
        FuzzTarget(name: "list-page", source: .api, summary: "each collector's page decoder; a decoded datasource name renders and parses back unchanged") { input in
            if case .success(let page) = ListEndpoint<String>.datasources.decode(input) {
                precondition(page.received >= page.items.count, "a page cannot hold fewer items than it yields")
                for name in page.items { ExpositionRoundTrip.check(name) }
            }
            _ = ListEndpoint<String>.workspaces.decode(input)
            if case .success(let page) = ListEndpoint<DataApp>.dataApps.decode(input) {
                precondition(page.skipped >= 0 && page.received >= page.items.count)
            }
            _ = ListEndpoint<Datamart>.datamarts.decode(input)
        },
        FuzzTarget(name: "health-document", source: .api, summary: "/health/live and /health/ready under any status") { input in
            let (status, body) = input.halves
            let code = Int(status.text.prefix(4)) ?? 200
            for endpoint in [HealthEndpoint.live, .ready] { _ = HealthDocumentDecoder.decode(endpoint: endpoint, status: code, body: body) }
        },
        FuzzTarget(name: "api-error", source: .api, summary: "error classification of any status and body; the summary stays one line") { input in
            let (status, body) = input.halves
            let error = APIError.classify(status: Int(status.text.prefix(4)) ?? 500, body: body)
            precondition(!error.summary.contains("\n"), "an error summary is one log line")
        },
        FuzzTarget(name: "retry-after", source: .api, summary: "Retry-After as seconds or an HTTP date; never negative") { input in
            if let wait = RetryAfter.parse(input.text, now: Date(timeIntervalSince1970: 1_800_000_000)) {
                precondition(wait >= .zero, "a wait is never negative")
            }
        },
        FuzzTarget(name: "rate-limit-headers", source: .api, summary: "every draft of the rate-limit headers the budget reads") { input in
            // Each line "Name: value"; the same name may repeat, as HTTP allows.
            let lines = input.text.split(separator: "\n", omittingEmptySubsequences: false)
            let headers: [(String, String)] = lines.compactMap { line in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]).lowercased(), String(line[line.index(after: colon)...]).trimmingWhitespace())
            }
            let parsed = RateLimitHeaders.parse(values: { name in headers.filter { $0.0 == name.lowercased() }.map(\.1) }, now: Date(timeIntervalSince1970: 1_800_000_000))
            if let limit = parsed.limit { precondition(limit >= 0) }
        },
        FuzzTarget(name: "pagination", source: .api, summary: "the stop rule and the page query for any count and page") { input in
            let (count, page) = input.halves
            let items = Int(count.text.prefix(9)) ?? count.count
            _ = Pagination.isLastPage(itemCount: items)
            let number = Int(page.text.prefix(9)) ?? page.count
            let query = Pagination.query(paginate: true, page: max(1, number))
            precondition(!query.contains(" ") && !query.contains("#"), "the query is URL-safe")
        },
    ]
}
