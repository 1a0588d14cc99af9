import FoundationEssentials

/// Decodes the body of a successful `GET /api/v2/datasource` or `GET /api/v2/workspace`.
///
/// The documented shape is `{"data":[{"name":"..."}, ...]}`, with `"error": null` on some pages and
/// no `error` on others; other keys are ignored. Anything else (missing `data`, an item without a
/// string `name`, HTML) is rejected as a whole: skipping one odd item would make that object look
/// removed and page someone for nothing.
public enum NameListDecoder {
    private struct Body: Decodable {
        struct Item: Decodable { let name: String }
        let data: [Item]
    }

    /// The datasource names on this page, in the order received, or a one-line reason.
    public static func decode(_ body: [UInt8]) -> Result<[String], DecodeFailure> {
        do {
            let decoded = try JSONDecoder().decode(Body.self, from: Data(body))
            return .success(decoded.data.map(\.name))
        } catch let error as DecodingError {
            return .failure(DecodeFailure(message: describe(error)))
        } catch {
            return .failure(DecodeFailure(message: "body is not JSON"))
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        let expected = #"expected {"data":[{"name":"..."}]}"#
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "body is not valid JSON (\(expected))"
        case .keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" at \(path(context.codingPath)) (\(expected))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "wrong type at \(path(context.codingPath)) (\(expected))"
        @unknown default:
            return "unexpected shape (\(expected))"
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
