import FoundationEssentials

/// Decodes one page of any of the API's lists: `{"data":[...]}`, with `"error": null` on some
/// pages and no `error` on others; unknown keys are ignored.
///
/// The page is the unit of failure only where the page itself is wrong: not JSON, no `data` key,
/// `data` not an array, an error object on a 2xx, or a non-empty page in which **no** item has its
/// identity (a renamed field must never look like every object vanished). An item without its
/// identity (an item's `Decodable` init throws) is skipped and counted in ``ListPage/skipped``.
/// `"data": null` is an empty page on every list (see the README: Databrain's pages promise `[]`
/// for an empty organisation, and an API backed by a GraphQL engine may send `null` for it).
enum ListPageDecoder {
    private struct Body<Item: Decodable>: Decodable {
        /// Only its presence matters: a 2xx that carries an error object is not a success.
        struct ErrorObject: Decodable { let code: String? }
        let data: [Skippable<Item>]
        let error: ErrorObject?

        private enum CodingKeys: String, CodingKey { case data, error }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            data = try container.decodeNil(forKey: .data) ? [] : container.decode([Skippable<Item>].self, forKey: .data)
            error = try? container.decodeIfPresent(ErrorObject.self, forKey: .error)
        }
    }

    /// The page's items in the order received, or a one-line reason naming `expected`, the shape
    /// the metrics need (e.g. `{"data":[{"name":"..."}]}`).
    static func decode<Item: Decodable & Sendable>(_ body: [UInt8], as: Item.Type, expected: String) -> Result<ListPage<Item>, DecodeFailure> {
        do {
            let decoded = try JSONDecoder().decode(Body<Item>.self, from: Data(body))
            if let error = decoded.error {
                return .failure(DecodeFailure(message: "a 2xx answer carries an error (\(error.code ?? "no code")), expected \(expected)"))
            }
            let items = decoded.data.compactMap(\.item)
            if items.isEmpty && !decoded.data.isEmpty {
                return .failure(DecodeFailure(message: "no item of the page has the fields that identify it (expected \(expected))"))
            }
            return .success(ListPage(items: items, skipped: decoded.data.count - items.count, received: decoded.data.count))
        } catch let error as DecodingError {
            return .failure(DecodeFailure(message: describe(error, expected: expected)))
        } catch {
            return .failure(DecodeFailure(message: "body is not JSON (expected \(expected))"))
        }
    }

    private static func describe(_ error: DecodingError, expected: String) -> String {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "body is not valid JSON (expected \(expected))"
        case .keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" at \(path(context.codingPath)) (expected \(expected))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "wrong type at \(path(context.codingPath)) (expected \(expected))"
        @unknown default:
            return "unexpected shape (expected \(expected))"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        guard !codingPath.isEmpty else { return "top level" }
        return codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}

/// Why a body could not be decoded; the message is safe to log.
public struct DecodeFailure: Error, Sendable, Equatable {
    /// One line naming what was wrong.
    public var message: String
}

/// A list element that decodes, or nil: whatever its own init rejects (its identity is missing) is
/// skipped, and the array around it still decodes. Items of a page and embeds of a data app.
struct Skippable<Item: Decodable>: Decodable {
    let item: Item?
    init(from decoder: any Decoder) throws { item = try? Item(from: decoder) }
}

/// The identity of a list item: a string. An item whose identity is missing, null or not a string
/// cannot be told apart from another and is skipped (``ListPageDecoder``); an empty string is a
/// name like any other (it was exported before, and a hostile name must not vanish).
struct MissingIdentity: Error {}

extension KeyedDecodingContainer {
    /// The string at `key`, or ``MissingIdentity``.
    func identity(_ key: Key) throws -> String {
        guard let value = try? decodeIfPresent(String.self, forKey: key) else { throw MissingIdentity() }
        return value
    }
}
