extension CollectorName {
    static let hasura = CollectorName(declaring: "hasura")
}

/// `hasura`, off by default: Hasura's public `GET {hasura_url}/healthz` on self-hosted Databrain.
/// Hasura answers `200 OK`, `200 WARN: inconsistent objects in schema` (metadata Databrain's own
/// `/health/ready` can hide, since it asks Hasura in strict mode only for UP or DOWN) or
/// `500 ERROR`; each is a state of `databrain_hasura_health`, and the collector is up for all
/// three. No answer, or another one, keeps the last state and turns the collector down. The
/// Databrain token is never sent: the endpoint is public and on another origin.
enum HasuraCollector {
    static let health = Family1(MetricCatalog.hasuraHealth)
    /// The states, in the order the stateset exports them.
    static let states = ["ok", "warn", "error"]

    /// The state an answer gives, or nil when it is not one of Hasura's three.
    static func state(status: Int, body: [UInt8]) -> String? {
        let text = String(decoding: body.prefix(256), as: UTF8.self).trimmingWhitespace()
        switch status {
        case 200 where text == "OK" || text.isEmpty: return "ok"
        case 200 where text.hasPrefix("WARN"): return "warn"
        case 500: return "error"
        default: return nil
        }
    }

    struct Probe: Collector {
        let url: String
        let timeout: Duration

        func collect(transport: any HTTPTransport, token: String, poll: PollContext, record: (RequestRecord) -> Void) async
            -> Result<CollectorListing, PollFailure> {
            let request = HTTPRequest(url: url, headers: ["Accept: text/plain"], timeout: timeout, maxBodyBytes: 4096)
            switch await transport.get(request) {
            case .failure(let failure):
                record(RequestRecord(endpoint: "hasura", status: nil, duration: failure.duration, failure: failure.reason))
                return .failure(.transport(failure.reason, failure.detail))
            case .success(let response):
                guard let state = state(status: response.status, body: response.body) else {
                    let error = APIError.classify(status: response.status, body: response.body)
                    record(RequestRecord(response, endpoint: "hasura", failure: response.status == 200 ? .decode : nil))
                    return .failure(response.status == 200 ? .decode("Hasura's /healthz answered neither OK nor WARN") : .api(error, retryAfter: nil))
                }
                record(RequestRecord(response, endpoint: "hasura", failure: nil))
                var listing = CollectorListing()
                for candidate in states { listing.add(health, candidate, value: candidate == state ? 1 : 0) }
                return .success(listing)
            }
        }
    }

    /// `hasura_url:`: Hasura's base URL; `/healthz` is appended.
    static let url = CollectorSetting(key: "url", help: "Hasura's base URL (self-hosted Databrain), e.g. http://hasura:8080; /healthz is appended.",
                                      required: true) { value in
        let lowered = value.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), SameOrigin.origin(of: value) != nil, !value.contains("?") else {
            return "\"\(value)\" is not a base URL: use http(s)://host[:port]"
        }
        return nil
    }
}

extension CollectorDefinition {
    static let hasura = CollectorDefinition(
        name: .hasura, enabledByDefault: false,
        help: "GET {hasura_url}/healthz (self-hosted): databrain_hasura_health{state=ok|warn|error}; WARN is Hasura's inconsistent metadata.",
        series: CollectorSeriesDeclaration(families: [HasuraCollector.health]),
        settings: [HasuraCollector.url], requestsToOrigin: 0, usesToken: false,
        hint: { error, _ in
            // /healthz is public: a refusal is the URL's, never the token's.
            [401, 403, 404].contains(error.status) ? "hasura_url does not reach Hasura's /healthz: give Hasura's own base URL (e.g. http://hasura:8080), not Databrain's" : nil
        }
    ) { context in
        HasuraCollector.Probe(url: (context.settings["url"] ?? "").trimmingTrailingSlashes() + "/healthz", timeout: context.fetch.timeout)
    }
}
