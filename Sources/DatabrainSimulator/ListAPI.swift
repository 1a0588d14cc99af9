import Foundation

/// Databrain's documented GET lists (`/api/v2/datasource`, `/api/v2/workspace`,
/// `/api/v2/data-app`, `/api/v2/data-app/datamarts`): string query parameters, 10 per page,
/// error bodies `{"error":{"code":...,"message":...,"status":...}}`.
enum ListAPI {
    static let pageSize = 10

    struct Reply {
        var status: Int
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var body: String
    }

    static func errorBody(status: Int, code: String? = nil) -> String {
        let (defaultCode, message): (String, String)
        switch status {
        case 400: (defaultCode, message) = ("INVALID_REQUEST_BODY", "Invalid pagination parameters")
        case 401: (defaultCode, message) = ("AUTHENTICATION_ERROR", "Invalid or missing service token")
        case 403: (defaultCode, message) = ("FORBIDDEN", "This token may not read this resource")
        case 404: (defaultCode, message) = ("NOT_FOUND", "Not found")
        case 429: (defaultCode, message) = ("RATE_LIMIT_EXCEEDED", "Too many requests")
        case 500: (defaultCode, message) = ("INTERNAL_SERVER_ERROR", "Internal server error")
        default: (defaultCode, message) = ("ERROR", "Simulated error")
        }
        return #"{"error":{"code":"\#(code ?? defaultCode)","message":"\#(message)","status":\#(status)}}"#
    }

    /// A bad token: the datasource and workspace pages document 401, the data-app family 400.
    static func unauthorized(_ endpoint: SimulatorState.Endpoint) -> Reply {
        let status = endpoint.rejectsTokensWith400 ? 400 : 401
        return Reply(status: status, body: errorBody(status: status, code: "AUTHENTICATION_ERROR"))
    }

    /// Answers a request that passed fault injection: auth, then parameters, then the page of
    /// `items` (each already a JSON object).
    static func reply(query: [String: String], endpoint: SimulatorState.Endpoint, authorized: Bool, items: [String]) -> Reply {
        guard authorized else { return unauthorized(endpoint) }
        let paginate = query["isPagination"] ?? "false"
        guard paginate == "true" || paginate == "false" else { return Reply(status: 400, body: errorBody(status: 400)) }
        var page = items
        if paginate == "true" {
            let pageText = query["pageNumber"] ?? "1"
            guard let number = Int(pageText), number >= 1, pageText.allSatisfy(\.isNumber) else {
                return Reply(status: 400, body: errorBody(status: 400))
            }
            let start = min((number - 1) * pageSize, items.count)
            page = Array(items[start..<min(start + pageSize, items.count)])
        }
        // As their pages show: "error": null on workspaces and datamarts, no error key elsewhere.
        let error = endpoint.successCarriesErrorNull ? #","error":null"# : ""
        return Reply(status: 200, body: #"{"data":[\#(page.joined(separator: ","))]\#(error)}"#)
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
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
