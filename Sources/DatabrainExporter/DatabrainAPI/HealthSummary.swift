/// What the landing page says about a target's `/health/live` and `/health/ready`.
public struct HealthSummary: Sendable, Equatable {
    /// `/health/live` answered live.
    public var live: Bool
    /// `/health/ready` answered ready.
    public var ready: Bool
    /// Checks not UP in the last ready answer, `name: STATE`, by name.
    public var failingChecks: [String]
    /// Why a probe gave no usable answer, if one did not.
    public var problem: String?

    /// Summarises one round of probes.
    public init(_ probes: [HealthProber.Probe]) {
        live = false
        ready = false
        failingChecks = []
        problem = nil
        for probe in probes {
            switch probe.result {
            case .success(let answer):
                if probe.endpoint == .live { live = answer.healthy } else {
                    ready = answer.healthy
                    failingChecks = answer.checks.filter { $0.value != .up }.map { "\($0.key): \($0.value.rawValue)" }.sorted()
                }
            case .failure(let failure):
                problem = problem ?? "\(probe.endpoint.path): \(failure.reason.rawValue) (\(failure.detail))"
            }
        }
    }
}
