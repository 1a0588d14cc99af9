import Testing
@testable import DatabrainExporter

/// libyaml composed into ``YAMLNode``s: the YAML 1.1 scalars Go's yaml.v2 reads, lines, and the
/// documents a configuration must never be (a second document, an alias bomb, a recursive alias).
@Suite struct YAMLParserTests {
    private func root(_ text: String) throws -> YAMLNode {
        try #require(try YAMLParser.compose(text))
    }

    private func problem(_ text: String) -> String? {
        do {
            _ = try YAMLParser.compose(text)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func scalarsResolveAsYAML11DoesAndQuotesKeepStrings() throws {
        let pairs = try #require(try root("a: yes\nb: \"yes\"\nc: 1_000\nd: '10'\ne: ~\nf:\ng: 0x1F\nh: -3\ni: 2024\n").mapping)
        let value = Dictionary(uniqueKeysWithValues: pairs.map { ($0.key.string!, $0.value) })
        #expect(value["a"]?.bool == true)
        #expect(value["b"]?.bool == nil && value["b"]?.string == "yes")
        #expect(value["c"]?.int == 1000)
        #expect(value["d"]?.int == nil && value["d"]?.string == "10")
        #expect(value["e"]?.isNull == true && value["e"]?.string == nil)
        #expect(value["f"]?.isNull == true)
        #expect(value["g"]?.int == 31)
        #expect(value["h"]?.int == -3)
        #expect(value["i"]?.string == "2024", "a plain number is still readable as a string, as yaml.v2 reads it")
    }

    @Test func nodesKnowTheirLines() throws {
        let pairs = try #require(try root("# comment\nfirst: 1\n\nsecond:\n  - x\n  - y\n").mapping)
        #expect(pairs.map(\.key.line) == [2, 4])
        #expect(pairs[1].value.sequence?.map(\.line) == [5, 6])
    }

    @Test func aliasesExpandToTheirAnchor() throws {
        let pairs = try #require(try root("a: &shared {x: 1}\nb: *shared\n").mapping)
        #expect(pairs[1].value.mapping?.first?.value.int == 1)
    }

    @Test func emptyTextHasNoDocument() throws {
        #expect(try YAMLParser.compose("") == nil)
        #expect(try YAMLParser.compose("# only a comment\n") == nil)
    }

    @Test func syntaxErrorsNameTheirLine() {
        #expect(problem("a: [\n")?.hasPrefix("line 2:") == true)
        #expect(problem("a: 1\n b: 2\n")?.hasPrefix("line 2:") == true)
    }

    @Test func aSecondDocumentIsRefusedNotIgnored() {
        #expect(problem("a: 1\n---\nb: 2\n")?.contains("second YAML document") == true)
    }

    @Test func anAliasBombStopsAtTheNodeBudget() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 { text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        #expect(problem(text)?.contains("nodes once aliases are expanded") == true)
    }

    @Test func aRecursiveAliasStopsAtTheDepthLimit() {
        // libyaml registers an anchor before its children, so this sequence contains itself.
        #expect(problem("a: &loop [*loop]\n")?.contains("nested deeper than") == true)
    }
}

/// The strict decoder both configuration files go through.
@Suite struct YAMLFieldsTests {
    private func fields(_ text: String, allowed: Set<String>) throws(ConfigError) -> YAMLFields? {
        try YAMLFields.document(text, source: "f.yml", allowed: allowed)
    }

    private func message(_ text: String, allowed: Set<String> = ["a", "b"], read: (YAMLFields) throws(ConfigError) -> Void = { _ in }) -> String? {
        do {
            guard let fields = try fields(text, allowed: allowed) else { return nil }
            try read(fields)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func unknownKeysNameFileLineAndTheKnownKeys() {
        #expect(message("a: 1\nc: 2\n") == "f.yml:2 top level: unknown key \"c\" (known: a, b)")
    }

    @Test func repeatedKeysAreErrorsNotLastOneWins() {
        #expect(message("a: 1\nb: 2\na: 3\n") == "f.yml:3 a: repeated key (first on line 1); keep one")
    }

    @Test func typeErrorsNameTheKeyPathAndLine() {
        #expect(message("a:\n  b: maybe\n") { fields throws(ConfigError) in
            _ = try fields.fields("a", allowed: ["b"])?.bool("b")
        } == "f.yml:2 a.b: expected true or false")
        #expect(message("a: [1]\n") { fields throws(ConfigError) in _ = try fields.string("a") } == "f.yml:1 a: expected a string")
        #expect(message("a: soon\n") { fields throws(ConfigError) in _ = try fields.duration("a") }?.hasPrefix("f.yml:1 a: invalid duration \"soon\"") == true)
        #expect(message("a: 5\n") { fields throws(ConfigError) in _ = try fields.fields("a", allowed: []) } == "f.yml:1 a: expected a mapping")
    }

    @Test func nullValuesAreAbsentAsInGo() throws {
        let read = try #require(try fields("a:\nb: ~\n", allowed: ["a", "b"]))
        #expect(try read.string("a") == nil)
        #expect(try read.int("b") == nil)
    }

    @Test func syntaxErrorsKeepTheirOldPrefix() {
        #expect(message("a: [\n")?.hasPrefix("invalid YAML in f.yml: line 2:") == true)
    }
}
