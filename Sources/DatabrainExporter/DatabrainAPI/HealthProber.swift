/// Probes a target's `/health/live` and `/health/ready` through the transport its datasource poll
/// used (the engine reuses the kept-alive connection), without the token: these endpoints need no
/// authentication, and the token goes nowhere it is not needed.
public struct HealthProber: Sendable {
    /// Base URL, the same as the datasource poll's.
    public let baseURL: String
    /// Put before `/health/...` (`/api` where the backend is mounted under a prefix).
    public let pathPrefix: String
    /// Per-request timeout and body cap, the target's.
    public let timeout: Duration
    public let maxBodyBytes: Int

    /// Creates a prober.
    public init(baseURL: String, pathPrefix: String, timeout: Duration, maxBodyBytes: Int) {
        self.baseURL = baseURL
        self.pathPrefix = pathPrefix
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }

    /// One probe's result and how long it took.
    public struct Probe: Sendable {
        public var endpoint: HealthEndpoint
        public var duration: Duration
        /// The answer, or why there was no usable one.
        public var result: Result<HealthAnswer, HealthProbeFailure>
    }

    /// The URL of `endpoint`.
    public func url(_ endpoint: HealthEndpoint) -> String {
        var prefix = pathPrefix.trimmingTrailingSlashes()
        if !prefix.isEmpty && !prefix.hasPrefix("/") { prefix = "/" + prefix }
        return baseURL.trimmingTrailingSlashes() + prefix + endpoint.path
    }

    /// Probes both endpoints, one after the other, through `transport`. Redirects are not followed.
    func probe(transport: some HTTPTransport) async -> [Probe] {
        var probes: [Probe] = []
        for endpoint in HealthEndpoint.allCases {
            probes.append(await probe(endpoint, transport: transport))
        }
        return probes
    }

    private func probe(_ endpoint: HealthEndpoint, transport: some HTTPTransport) async -> Probe {
        let request = HTTPRequest(url: url(endpoint), headers: ["Accept: application/json"], timeout: timeout, maxBodyBytes: maxBodyBytes)
        switch await transport.get(request) {
        case .failure(let failure):
            return Probe(endpoint: endpoint, duration: failure.duration, result: .failure(HealthProbeFailure(reason: failure.reason, detail: failure.detail)))
        case .success(let response):
            if (300...399).contains(response.status) {
                return Probe(endpoint: endpoint, duration: response.duration,
                             result: .failure(HealthProbeFailure(reason: .redirect, detail: "HTTP \(response.status) from \(endpoint.path): redirects are not followed")))
            }
            let decoded = HealthDocumentDecoder.decode(endpoint: endpoint, status: response.status, body: response.body)
            return Probe(endpoint: endpoint, duration: response.duration,
                         result: decoded.mapError { HealthProbeFailure(reason: .decode, detail: $0.message) })
        }
    }
}

/// Why a health probe gave no usable answer: the reasons of the API's request failures.
public struct HealthProbeFailure: Error, Sendable, Equatable {
    public var reason: RequestFailureReason
    /// One line, safe to log.
    public var detail: String
}
