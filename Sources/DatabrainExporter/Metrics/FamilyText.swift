import NIOCore

/// One metric family's text within a rendering: its `# HELP` and `# TYPE` lines, and its samples.
///
/// A registry per target renders its own families; ``RegistrySet`` writes each family's header
/// once and then every registry's samples of it, as the text format requires (a family's lines
/// together, one HELP and one TYPE).
struct FamilyText: Sendable {
    var name: String
    /// Slices of the registry's rendering (no copy).
    var header: ByteBuffer
    var samples: ByteBuffer

    /// Splits swift-prometheus' text rendering at each family's first comment line. A family
    /// starts at a `# HELP` or `# TYPE` line naming a family other than the current one; every
    /// other line (samples, `_bucket`/`_sum`/`_count` included) belongs to the current family.
    static func split(_ text: ByteBuffer) -> [FamilyText] {
        var families: [FamilyText] = []
        text.withUnsafeReadableBytes { bytes in
            var lineStart = 0
            var family: (name: String, headerStart: Int, samplesStart: Int)?
            func close(at end: Int) {
                guard let open = family else { return }
                families.append(FamilyText(name: open.name,
                                           header: text.getSlice(at: text.readerIndex + open.headerStart, length: open.samplesStart - open.headerStart)!,
                                           samples: text.getSlice(at: text.readerIndex + open.samplesStart, length: end - open.samplesStart)!))
            }
            while lineStart < bytes.count {
                let lineEnd = (bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count - 1) + 1
                if let name = commentedFamily(bytes, from: lineStart, to: lineEnd) {
                    if name != family?.name {
                        close(at: lineStart)
                        family = (name, lineStart, lineEnd)
                    } else if family?.samplesStart == lineStart {
                        family?.samplesStart = lineEnd  // TYPE after HELP: still the header
                    }
                } else if family == nil {
                    family = ("", lineStart, lineStart)  // samples before any header: never from swift-prometheus
                }
                lineStart = lineEnd
            }
            close(at: bytes.count)
        }
        return families
    }

    /// The family a `# HELP name …` or `# TYPE name …` line names, or nil for any other line.
    private static func commentedFamily(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> String? {
        let prefixLength = 7  // "# HELP " and "# TYPE " alike
        guard end - start > prefixLength, bytes[start] == UInt8(ascii: "#"), bytes[start + 1] == UInt8(ascii: " ") else { return nil }
        let keyword = bytes[(start + 2)..<(start + 6)]
        guard keyword.elementsEqual("HELP".utf8) || keyword.elementsEqual("TYPE".utf8), bytes[start + 6] == UInt8(ascii: " ") else { return nil }
        let nameStart = start + prefixLength
        var nameEnd = nameStart
        while nameEnd < end, bytes[nameEnd] != UInt8(ascii: " "), bytes[nameEnd] != UInt8(ascii: "\n") { nameEnd += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<nameEnd]), as: UTF8.self)
    }
}
