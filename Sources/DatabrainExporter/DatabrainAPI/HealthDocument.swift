import FoundationEssentials

/// Databrain's health endpoints, as its health-check API page documents them:
/// `GET /health/live` → 200 `{"status":"live"}`; `GET /health/ready` → 200 `{"status":"ready",
/// "checks":{…}}`, or 503 `{"status":"not_ready","checks":{…}}` when a check is DOWN or UNKNOWN.
/// Each check is `{"status":"UP"|"DOWN"|"UNKNOWN","statusCode":N,"error":"…"}`; the set of checks
/// depends on the installation (hasura always, keycloak when configured), so it is open.
public enum HealthEndpoint: String, CaseIterable, Sendable {
    case live
    case ready

    /// The path below the base URL and the `health_path_prefix` (`/api` behind a prefix).
    public var path: String { "/health/\(rawValue)" }
}

/// The state of one dependency in `/health/ready`'s `checks`.
public enum HealthCheckState: String, CaseIterable, Sendable {
    case up = "UP"
    case down = "DOWN"
    case unknown = "UNKNOWN"
}

/// What one probe of a health endpoint found.
public struct HealthAnswer: Sendable, Equatable {
    /// `live` answered 200 with status `live`, or `ready` answered 200 with status `ready`.
    public var healthy: Bool
    /// `/health/ready`'s checks by name (empty for `live`).
    public var checks: [String: HealthCheckState]
}

/// Decodes a health answer; an answer that is not the documented document is a failure.
public enum HealthDocumentDecoder {
    private struct Body: Decodable {
        struct Check: Decodable { let status: String }
        let status: String
        let checks: [String: Check]?
    }

    /// The answer to `endpoint` with HTTP `status` and `body`. A 503 from `ready` with a valid
    /// body is a normal answer (not ready, with its checks); any other status but 200, or a body
    /// that is not the documented JSON, is a ``DecodeFailure``.
    public static func decode(endpoint: HealthEndpoint, status: Int, body: [UInt8]) -> Result<HealthAnswer, DecodeFailure> {
        guard status == 200 || (endpoint == .ready && status == 503) else {
            return .failure(DecodeFailure(message: "HTTP \(status) from \(endpoint.path)" + (status == 404 ? " (an installation without health endpoints? set health: false)" : "")))
        }
        let decoded: Body
        do {
            decoded = try JSONDecoder().decode(Body.self, from: Data(body))
        } catch {
            return .failure(DecodeFailure(message: "\(endpoint.path) did not return the documented JSON ({\"status\":…})"))
        }
        let expected = endpoint == .live ? "live" : "ready"
        // An unknown state word counts as UNKNOWN, as Databrain's own readiness treats it.
        let checks = (decoded.checks ?? [:]).mapValues { HealthCheckState(rawValue: $0.status) ?? .unknown }
        return .success(HealthAnswer(healthy: status == 200 && decoded.status == expected, checks: endpoint == .ready ? checks : [:]))
    }
}
