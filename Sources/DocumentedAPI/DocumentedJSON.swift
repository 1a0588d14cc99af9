import FoundationEssentials

/// JSON text of an answer the fakes send. Keys sorted, so an answer is the same bytes every time.
enum DocumentedJSON {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every value here is a string, number, bool or null: encoding cannot fail.
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
