/// A documented list's answer: `isPagination`/`pageNumber` as its pages describe them (strings;
/// 10 items a page; `pageNumber` counts from 1), and the envelope `{"data":[…]}` with
/// `"error": null` where the page shows it.
public enum DocumentedList {
    public static let pageSize = 10

    /// The items `query` asks for out of `count`, or nil for the documented 400: `isPagination`
    /// other than "true" or "false", or a `pageNumber` that is not a number from 1.
    public static func range(count: Int, query: [String: String]) -> Range<Int>? {
        switch query["isPagination"] ?? "false" {
        case "false": return 0..<count
        case "true":
            let text = query["pageNumber"] ?? "1"
            guard !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let number = Int(text), number >= 1 else { return nil }
            let start = number > count / pageSize + 1 ? count : min((number - 1) * pageSize, count)
            return start..<min(start + pageSize, count)
        default: return nil
        }
    }

    /// The answer to a GET of `endpoint`'s list holding `items`.
    public static func answer<Item: Encodable>(_ items: [Item], endpoint: DocumentedEndpoint, query: [String: String]) -> (status: Int, body: String) {
        guard let range = range(count: items.count, query: query) else {
            let error = DocumentedError.standard(status: 400)
            return (error.status, error.body)
        }
        return (200, body(Array(items[range]), endpoint: endpoint))
    }

    /// `{"data":[…]}`, plus `"error": null` where `endpoint`'s page shows it.
    public static func body<Item: Encodable>(_ items: [Item], endpoint: DocumentedEndpoint) -> String {
        DocumentedJSON.encode(Envelope(data: items, errorNull: endpoint.successCarriesErrorNull))
    }

    /// One item's JSON, for a test that builds an odd page around documented items.
    public static func item(_ item: some Encodable) -> String { DocumentedJSON.encode(item) }

    private struct Envelope<Item: Encodable>: Encodable {
        let data: [Item]
        let errorNull: Bool
        enum CodingKeys: String, CodingKey { case data, error }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(data, forKey: .data)
            if errorNull { try container.encodeNil(forKey: .error) }
        }
    }
}
