/// `GET /health/live` and `GET /health/ready` as documented: no authentication; live is always
/// `{"status":"live"}`; ready is 200 `{"status":"ready","checks":{…}}`, or 503 with
/// `"not_ready"` when any check is not UP. A check carries `statusCode` only when the dependency
/// answered, and `error` when it is not UP.
public enum DocumentedHealth {
    public struct Check: Encodable, Sendable, Equatable {
        public var status: String
        public var statusCode: Int?
        public var error: String?

        public init(status: String, statusCode: Int? = nil, error: String? = nil) {
            self.status = status
            self.statusCode = statusCode
            self.error = error
        }

        /// UP (200), DOWN (503, connection refused) or UNKNOWN (no answer), as the pages show each.
        public static func named(_ status: String) -> Check {
            switch status {
            case "UP": return Check(status: "UP", statusCode: 200)
            case "DOWN": return Check(status: "DOWN", statusCode: 503, error: "connection refused")
            default: return Check(status: status, error: "connection refused")
            }
        }
    }

    public static let liveBody = DocumentedJSON.encode(["status": "live"])

    /// The readiness answer for `checks`.
    public static func ready(_ checks: [String: Check]) -> (status: Int, body: String) {
        struct Ready: Encodable { let status: String; let checks: [String: Check] }
        let ready = checks.values.allSatisfy { $0.status == "UP" }
        return (ready ? 200 : 503, DocumentedJSON.encode(Ready(status: ready ? "ready" : "not_ready", checks: checks)))
    }

    /// A self-hosted installation with Keycloak configured, all well.
    public static let healthyChecks: [String: Check] = ["hasura": .named("UP"), "keycloak": .named("UP")]
}
