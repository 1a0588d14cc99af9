/// Escaping of label values in the text exposition format 0.0.4.
enum LabelValue {
    /// Appends `value` escaped: backslash, double quote and line feed get a backslash; every other
    /// character, any Unicode included, is written as its UTF-8 bytes.
    static func appendEscaped<S: StringProtocol>(_ value: S, to buffer: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\""): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            default: buffer.append(byte)
            }
        }
    }
}
