/// A YAML mapping read strictly, the one decoder behind `--config.file` and `--web.config.file`:
/// unknown and repeated keys are errors (a misspelt `intreval` must not silently become the
/// default), every value is checked for its type, and every message is one line that starts with
/// the file, the line and the key path: `f.yml:4 targets[0].interval: invalid duration "soon": …`.
struct YAMLFields {
    /// The file name, as given on the command line.
    let source: String
    /// The key path of this mapping (`targets[0]`, `tls_server_config`), empty at the top.
    let place: String
    /// The mapping's line.
    let line: Int
    /// Key, value and the key's line, in document order.
    let entries: [(key: String, value: YAMLNode, line: Int)]

    /// Reads `node` as a mapping whose keys must be in `allowed` (nil: any key, as for user names).
    init(_ node: YAMLNode, source: String, place: String, allowed: Set<String>?, expected: String = "a mapping") throws(ConfigError) {
        self.source = source
        self.place = place
        self.line = node.line
        guard let pairs = node.mapping else { throw Self.error(source, node.line, place, "expected \(expected)") }
        var seen: [String: Int] = [:]
        var entries: [(key: String, value: YAMLNode, line: Int)] = []
        for (key, value) in pairs {
            let name = key.string ?? "?"
            if let allowed, !allowed.contains(name) {
                throw Self.error(source, key.line, place.isEmpty ? "top level" : place,
                                 "unknown key \"\(name)\" (known: \(allowed.sorted().joined(separator: ", ")))")
            }
            if let first = seen[name] {
                throw Self.error(source, key.line, Self.path(place, name), "repeated key (first on line \(first)); keep one")
            }
            seen[name] = key.line
            entries.append((name, value, key.line))
        }
        self.entries = entries
    }

    /// Reads a whole file's text: its one document must be a mapping with keys in `allowed`; an
    /// empty document is nil.
    static func document(_ text: String, source: String, allowed: Set<String>, expected: String = "a mapping") throws(ConfigError) -> YAMLFields? {
        let root: YAMLNode?
        do {
            root = try YAMLParser.compose(text)
        } catch {
            throw ConfigError("invalid YAML in \(source): \(error.message)")
        }
        guard let root, !root.isNull else { return nil }
        return try YAMLFields(root, source: source, place: "", allowed: allowed, expected: expected)
    }

    /// The value of `key`, nil when it is absent or null (`key:` or `key: ~`), as Go's yaml.v2 leaves a field unset.
    func value(_ key: String) -> YAMLNode? {
        guard let entry = entries.first(where: { $0.key == key }), !entry.value.isNull else { return nil }
        return entry.value
    }

    /// A one-line error about `key` (or the mapping itself when nil), at the key's line.
    func error(_ key: String?, _ message: String) -> ConfigError {
        guard let key else { return Self.error(source, line, place.isEmpty ? "top level" : place, message) }
        let at = entries.first { $0.key == key }?.line ?? line
        return Self.error(source, at, Self.path(place, key), message)
    }

    func string(_ key: String) throws(ConfigError) -> String? {
        guard let node = value(key) else { return nil }
        guard let text = node.string else { throw error(key, "expected a string") }
        return text
    }

    func nonEmptyString(_ key: String) throws(ConfigError) -> String? {
        guard let node = value(key) else { return nil }
        guard let text = node.string, !text.isEmpty else { throw error(key, "expected a non-empty string") }
        return text
    }

    func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let node = value(key) else { return nil }
        guard let flag = node.bool else { throw error(key, "expected true or false") }
        return flag
    }

    func int(_ key: String) throws(ConfigError) -> Int? {
        guard let node = value(key) else { return nil }
        guard let number = node.int else { throw error(key, "expected a whole number") }
        return number
    }

    /// A Go duration (`30s`, `1m30s`).
    func duration(_ key: String) throws(ConfigError) -> Duration? {
        guard let text = try string(key) else { return nil }
        do { return try GoDuration.parse(text) } catch { throw self.error(key, error.message) }
    }

    func sequence(_ key: String, expected: String) throws(ConfigError) -> [YAMLNode]? {
        guard let node = value(key) else { return nil }
        guard let items = node.sequence else { throw error(key, "must be \(expected)") }
        return items
    }

    /// The nested mapping under `key`, read as strictly as this one.
    func fields(_ key: String, allowed: Set<String>?, expected: String = "a mapping") throws(ConfigError) -> YAMLFields? {
        guard let node = value(key) else { return nil }
        return try YAMLFields(node, source: source, place: Self.path(place, key), allowed: allowed, expected: expected)
    }

    /// `source:line place: message`.
    private static func error(_ source: String, _ line: Int, _ place: String, _ message: String) -> ConfigError {
        ConfigError("\(source):\(line) \(place): \(message)")
    }

    private static func path(_ place: String, _ key: String) -> String { place.isEmpty ? key : "\(place).\(key)" }
}
