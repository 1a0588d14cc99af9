import CYAML

/// Composes YAML text into ``YAMLNode``s with Debian's libyaml (its document loader), instead of a
/// Swift YAML package: every Swift one imports Foundation, which links ICU's 38 MB of data into
/// the binary (see the README's footprint notes).
public enum YAMLParser {
    /// More nodes than any configuration has; a document past it is an alias bomb (`&a [*a, *a]`
    /// nested ten deep) that would take memory exponential in its size to expand.
    static let maxNodes = 100_000
    /// Deeper than any configuration; also stops a recursive alias (`&a [*a]`).
    static let maxDepth = 64

    /// The first and only document of `text`, or nil when the text holds none (empty or comments).
    /// A syntax error, a second document or an oversized expansion throws one line
    /// (`line 3: did not find expected key`).
    public static func compose(_ text: String) throws(YAMLSyntaxError) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw YAMLSyntaxError("cannot initialise libyaml") }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(YAMLSyntaxError) -> YAMLNode? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var document = yaml_document_t()
            guard yaml_parser_load(&parser, &document) == 1 else { throw YAMLSyntaxError(parser: parser) }
            defer { yaml_document_delete(&document) }
            guard yaml_document_get_root_node(&document) != nil else { return nil }
            var budget = maxNodes
            let root = try convert(&document, index: 1, depth: 0, budget: &budget)
            var next = yaml_document_t()
            guard yaml_parser_load(&parser, &next) == 1 else { throw YAMLSyntaxError(parser: parser) }
            defer { yaml_document_delete(&next) }
            if let extra = yaml_document_get_root_node(&next) {
                throw YAMLSyntaxError("line \(extra.pointee.start_mark.line + 1): a second YAML document; put everything in one")
            }
            return root
        }
    }

    /// libyaml's node `index` (1-based) and everything below it, as a Swift value.
    private static func convert(_ document: inout yaml_document_t, index: Int32, depth: Int, budget: inout Int) throws(YAMLSyntaxError) -> YAMLNode {
        guard let node = yaml_document_get_node(&document, index) else { throw YAMLSyntaxError("libyaml returned a dangling node") }
        let line = Int(node.pointee.start_mark.line) + 1
        budget -= 1
        guard budget >= 0 else { throw YAMLSyntaxError("line \(line): more than \(maxNodes) nodes once aliases are expanded") }
        guard depth < maxDepth else { throw YAMLSyntaxError("line \(line): nested deeper than \(maxDepth) levels (a recursive alias?)") }
        switch node.pointee.type {
        case YAML_SCALAR_NODE:
            let scalar = node.pointee.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            return YAMLNode(.scalar(text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE), line: line)
        case YAML_SEQUENCE_NODE:
            let items = node.pointee.data.sequence.items
            var children: [YAMLNode] = []
            var item = items.start
            while let current = item, current != items.top {
                children.append(try convert(&document, index: current.pointee, depth: depth + 1, budget: &budget))
                item = current + 1
            }
            return YAMLNode(.sequence(children), line: line)
        case YAML_MAPPING_NODE:
            let pairs = node.pointee.data.mapping.pairs
            var children: [(key: YAMLNode, value: YAMLNode)] = []
            var pair = pairs.start
            while let current = pair, current != pairs.top {
                let key = try convert(&document, index: current.pointee.key, depth: depth + 1, budget: &budget)
                let value = try convert(&document, index: current.pointee.value, depth: depth + 1, budget: &budget)
                children.append((key, value))
                pair = current + 1
            }
            return YAMLNode(.mapping(children), line: line)
        default:
            throw YAMLSyntaxError("line \(line): an empty node")
        }
    }
}

/// A YAML syntax problem, as one line without the file name (the caller adds it).
public struct YAMLSyntaxError: Error, Sendable {
    /// `line N: what libyaml found`.
    public let message: String

    init(_ message: String) { self.message = message }

    /// libyaml's problem and where it is, as Go's yaml.v2 words it (`line 3: did not find expected key`).
    init(parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        let context = parser.context.map { String(cString: $0) }
        let line = Int(parser.problem_mark.line) + 1
        message = "line \(line): \(problem)" + (context.map { " \($0)" } ?? "")
    }
}
