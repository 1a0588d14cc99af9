import DocumentedAPI
import Foundation

/// The documented GET lists (`DocumentedEndpoint`), answered from the inventory after the token
/// check, in the shapes `DocumentedAPI` encodes.
enum ListAPI {
    struct Reply {
        var status: Int
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var body: String
    }

    /// `error`'s status and documented body.
    static func reply(_ error: DocumentedError) -> Reply { Reply(status: error.status, body: error.body) }

    /// The documented error body for `status`.
    static func errorReply(status: Int) -> Reply { reply(.standard(status: status)) }

    /// Answers a request that passed fault injection: the token check, then the page.
    static func reply(query: [String: String], endpoint: DocumentedEndpoint, access: SimulatorState.Access, inventory: Inventory) -> Reply {
        switch access {
        case .rejected: return reply(endpoint.tokenRejection)
        case .expired(let status): return reply(.expiredToken(status: status))
        case .authorized:
            let (status, body) = inventory.answer(endpoint, query: query)
            return Reply(status: status, body: body)
        }
    }

    static func parseQuery(_ uri: String) -> (path: String, query: [String: String]) {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(kv[0]).removingPercentEncoding ?? String(kv[0])
                let value = kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : ""
                query[key] = value
            }
        }
        return (String(parts[0]), query)
    }
}
