import FoundationEssentials

/// Decodes one page of any of the API's lists: `{"data":[...]}`, with `"error": null` on some
/// pages and no `error` on others; unknown keys are ignored. A page that fails anything an item's
/// metrics need is rejected as a whole, never partially: skipping one odd item would make that
/// object look removed and page someone for nothing.
enum ListPageDecoder {
    private struct Body<Item: Decodable>: Decodable {
        /// Only its presence matters: a 2xx that carries an error object is not a success.
        struct ErrorObject: Decodable { let code: String? }
        let data: [Item]
        let error: ErrorObject?
    }

    /// The page's items in the order received, or a one-line reason naming `expected`, the shape
    /// the metrics need (e.g. `{"data":[{"name":"..."}]}`).
    static func decode<Item: Decodable>(_ body: [UInt8], as: Item.Type, expected: String) -> Result<[Item], DecodeFailure> {
        do {
            let decoded = try JSONDecoder().decode(Body<Item>.self, from: Data(body))
            if let error = decoded.error {
                return .failure(DecodeFailure(message: "a 2xx answer carries an error (\(error.code ?? "no code")), expected \(expected)"))
            }
            return .success(decoded.data)
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
