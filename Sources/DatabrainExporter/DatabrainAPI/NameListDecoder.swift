/// Decodes a page of `GET /api/v2/datasource` or `GET /api/v2/workspace`: `{"data":[{"name":"..."}]}`.
/// An item without a string `name` is skipped and counted (see ``ListPageDecoder``).
public enum NameListDecoder {
    private struct Item: Decodable, Sendable {
        let name: String
        private enum CodingKeys: String, CodingKey { case name }
        init(from decoder: any Decoder) throws { name = try decoder.container(keyedBy: CodingKeys.self).identity(.name) }
    }

    /// The names on this page, in the order received, or a one-line reason.
    public static func decode(_ body: [UInt8]) -> Result<ListPage<String>, DecodeFailure> {
        ListPageDecoder.decode(body, as: Item.self, expected: #"{"data":[{"name":"..."}]}"#).map { $0.map(\.name) }
    }
}
