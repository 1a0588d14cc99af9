/// Decodes a page of `GET /api/v2/datasource` or `GET /api/v2/workspace`: `{"data":[{"name":"..."}]}`.
/// An item without a string `name` rejects the page (see ``ListPageDecoder``).
public enum NameListDecoder {
    private struct Item: Decodable { let name: String }

    /// The names on this page, in the order received, or a one-line reason.
    public static func decode(_ body: [UInt8]) -> Result<[String], DecodeFailure> {
        ListPageDecoder.decode(body, as: Item.self, expected: #"{"data":[{"name":"..."}]}"#).map { $0.map(\.name) }
    }
}
