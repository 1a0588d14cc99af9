/// Hasura's public `GET /healthz`, as Hasura documents it (self-hosted Databrain runs Hasura):
/// `200 OK`; `200 WARN: inconsistent objects in schema` when metadata is inconsistent (in the
/// default, non-strict mode); `500 ERROR` when Hasura is unhealthy. Plain text, no authentication.
public enum DocumentedHasura {
    public enum State: String, Sendable, CaseIterable {
        case ok, warn, error
    }

    public static func healthz(_ state: State) -> (status: Int, body: String) {
        switch state {
        case .ok: return (200, "OK")
        case .warn: return (200, "WARN: inconsistent objects in schema")
        case .error: return (500, "ERROR")
        }
    }
}
