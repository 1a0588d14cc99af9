import NIOCore
import Locking

/// Text format 0.0.4 made OpenMetrics 1.0: the samples are the same bytes; only the family
/// headers differ. A counter family is named without its `_total` suffix (its samples keep it),
/// and HELP escapes a double quote as well as a backslash and a newline. The caller appends
/// `# EOF`.
enum OpenMetricsText {
    /// Headers already converted, by their 0.0.4 bytes: a family's header never changes, so each
    /// is converted once per process, and a merge after every poll (or every request, for the
    /// budget's series) only looks it up.
    private static let convertedHeaders = Locked<[ByteBuffer: ByteBuffer]>([:])

    /// The OpenMetrics form of a family's header (its HELP and TYPE lines), converted once.
    static func header(_ header: ByteBuffer) -> ByteBuffer {
        if let known = convertedHeaders.withLock({ $0[header] }) { return known }
        let converted = convert(header)
        convertedHeaders.withLock { $0[header] = converted }
        return converted
    }

    /// The OpenMetrics form of one part of the exposition. A part without comment lines (most
    /// of them are samples) is returned as it is, without a copy. A family's HELP and TYPE lines
    /// always sit together in one part, as every renderer writes them.
    static func convert(_ part: ByteBuffer) -> ByteBuffer {
        guard hasCommentLine(part) else { return part }
        let lines = part.readableBytesView.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var output = ByteBuffer()
        output.reserveCapacity(part.readableBytes + 64)
        for (index, line) in lines.enumerated() {
            if index > 0 { output.writeInteger(UInt8(ascii: "\n")) }
            guard let comment = Comment(line) else {
                output.writeBytes(line)
                continue
            }
            // The family's type: on this line, or on the TYPE line after a HELP.
            let type = comment.keyword == "TYPE" ? comment.rest : lines.dropFirst(index + 1).first.flatMap(Comment.init).flatMap { $0.keyword == "TYPE" && $0.name == comment.name ? $0.rest : nil }
            var name = comment.name
            if type == "counter", name.hasSuffix("_total") { name.removeLast("_total".count) }
            output.writeString("# \(comment.keyword) \(name)")
            if comment.keyword == "HELP" {
                output.writeString(" " + comment.rest.replacingQuotes())
            } else {
                output.writeString(" " + comment.rest)
            }
        }
        return output
    }

    private static func hasCommentLine(_ part: ByteBuffer) -> Bool {
        part.withUnsafeReadableBytes { bytes in
            var atLineStart = true
            for byte in bytes {
                if atLineStart, byte == UInt8(ascii: "#") { return true }
                atLineStart = byte == UInt8(ascii: "\n")
            }
            return false
        }
    }

    /// `# HELP name text` or `# TYPE name type`.
    private struct Comment {
        var keyword: String
        var name: String
        var rest: String

        init?<Bytes: Collection<UInt8>>(_ line: Bytes) {
            guard line.first == UInt8(ascii: "#") else { return nil }  // samples: no decoding
            let text = String(decoding: line, as: UTF8.self)
            guard text.hasPrefix("# HELP ") || text.hasPrefix("# TYPE ") else { return nil }
            keyword = String(text.dropFirst(2).prefix(4))
            let body = text.dropFirst(7)
            let space = body.firstIndex(of: " ") ?? body.endIndex
            name = String(body[..<space])
            rest = space == body.endIndex ? "" : String(body[body.index(after: space)...])
        }
    }
}

private extension String {
    /// A 0.0.4 HELP text (backslash and newline already escaped) with its double quotes escaped too.
    func replacingQuotes() -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        var escaped = false
        for character in self {
            if character == "\"" && !escaped { result.append("\\") }
            escaped = character == "\\" && !escaped
            result.append(character)
        }
        return result
    }
}
