/// One node of a YAML document as libyaml composes it, with the line it starts on (1-based) so
/// that every configuration error can point at it.
///
/// Scalars keep whether they were quoted: a quoted `"true"` or `"10"` is a string, only a plain one
/// may be a boolean, a number or null, as in YAML 1.1 (the dialect Go's yaml.v2 speaks, and so
/// exporter-toolkit's files).
public struct YAMLNode: Sendable {
    /// What the node holds.
    public enum Content: Sendable {
        /// A scalar's text, and whether it was written without quotes (plain).
        case scalar(String, plain: Bool)
        /// A block or flow sequence.
        case sequence([YAMLNode])
        /// A mapping's pairs in document order (duplicates included; the decoder rejects them).
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    /// What the node holds.
    public let content: Content
    /// The line the node starts on, 1-based.
    public let line: Int

    /// Creates a node.
    public init(_ content: Content, line: Int) {
        self.content = content
        self.line = line
    }

    /// A plain `~`, `null`, `Null`, `NULL` or nothing at all (`key:` with no value).
    public var isNull: Bool {
        guard case .scalar(let text, plain: true) = content else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// The text of any scalar that is not null: `name: 2024` is the string "2024", as yaml.v2 reads it.
    public var string: String? {
        guard case .scalar(let text, _) = content, !isNull else { return nil }
        return text
    }

    /// A plain YAML 1.1 boolean (`true`, `false`, `yes`, `no`, `on`, `off` in the usual cases).
    public var bool: Bool? {
        guard case .scalar(let text, plain: true) = content else { return nil }
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    /// A plain integer: decimal with an optional sign and `_` separators, or `0x` hexadecimal.
    public var int: Int? {
        guard case .scalar(let text, plain: true) = content else { return nil }
        var digits = Substring(text.filter { $0 != "_" })
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        let magnitude = digits.hasPrefix("0x") ? Int(digits.dropFirst(2), radix: 16) : Int(digits, radix: 10)
        guard let magnitude, !digits.isEmpty else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// The items of a sequence.
    public var sequence: [YAMLNode]? {
        guard case .sequence(let items) = content else { return nil }
        return items
    }

    /// The pairs of a mapping.
    public var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        guard case .mapping(let pairs) = content else { return nil }
        return pairs
    }
}
