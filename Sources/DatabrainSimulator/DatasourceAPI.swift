import Foundation

/// Databrain's `GET /api/v2/datasource`, as documented: string query parameters, 10 per page,
/// error bodies `{"error":{"code":...,"message":...,"status":...}}`.
enum DatasourceAPI {
    static let pageSize = 10

    struct Reply {
        var status: Int
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var body: String
    }

    static func errorBody(status: Int) -> String {
        let (code, message): (String, String)
        switch status {
        case 400: (code, message) = ("INVALID_REQUEST_BODY", "Invalid pagination parameters")
        case 401: (code, message) = ("AUTHENTICATION_ERROR", "Invalid or missing service token")
        case 429: (code, message) = ("RATE_LIMIT_EXCEEDED", "Too many requests")
        case 500: (code, message) = ("INTERNAL_SERVER_ERROR", "Internal server error")
        default: (code, message) = ("ERROR", "Simulated error")
        }
        return #"{"error":{"code":"\#(code)","message":"\#(message)","status":\#(status)}}"#
    }

    /// Answers a request that passed fault injection: auth, then parameters, then the page.
    static func reply(query: [String: String], authorized: Bool, datasources: [String], errorNull: Bool = false) -> Reply {
        guard authorized else { return Reply(status: 401, body: errorBody(status: 401)) }
        let paginate = query["isPagination"] ?? "false"
        guard paginate == "true" || paginate == "false" else { return Reply(status: 400, body: errorBody(status: 400)) }
        var names = datasources
        if paginate == "true" {
            let pageText = query["pageNumber"] ?? "1"
            guard let page = Int(pageText), page >= 1, pageText.allSatisfy(\.isNumber) else {
                return Reply(status: 400, body: errorBody(status: 400))
            }
            let start = min((page - 1) * pageSize, names.count)
            names = Array(names[start..<min(start + pageSize, names.count)])
        }
        let body = encode(names)
        return Reply(status: 200, body: errorNull ? String(body.dropLast()) + #","error":null}"# : body)
    }

    static func encode(_ names: [String]) -> String {
        struct Item: Encodable { let name: String }
        struct Body: Encodable { let data: [Item] }
        let data = (try? JSONEncoder().encode(Body(data: names.map(Item.init)))) ?? Data("{\"data\":[]}".utf8)
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
