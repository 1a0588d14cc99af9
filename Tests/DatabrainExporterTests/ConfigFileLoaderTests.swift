import Testing
@testable import DatabrainExporter

@Suite struct ConfigFileLoaderTests {
    let defaults = TargetConfig(name: "default", url: "https://api.usedatabrain.com", token: .value("t"), interval: .seconds(60), timeout: .seconds(10))

    private func parse(_ yaml: String) throws(ConfigError) -> ExporterConfig {
        try ConfigFileLoader.parse(yaml: yaml, source: "test.yml", defaults: defaults)
    }

    private func message(_ yaml: String, validate: Bool = false) -> String? {
        do {
            let config = try parse(yaml)
            if validate { try config.validate() }
            return nil
        } catch {
            return error.message
        }
    }

    @Test func targetsTakeTheirOwnValuesAndTheFlagsAsDefaults() throws {
        let config = try parse("""
            targets:
              - name: prod
                url: https://db.example.com
                token_file: /run/token
                paginate: true
                interval: 30s
              - url: http://127.0.0.1:8080
            """)
        #expect(config.targets.count == 2)
        let prod = config.targets[0]
        #expect(prod.name == "prod")
        #expect(prod.token == .file("/run/token"))
        #expect(prod.paginate)
        #expect(prod.interval == .seconds(30))
        #expect(prod.timeout == .seconds(10))
        let second = config.targets[1]
        #expect(second.name == "127.0.0.1:8080")
        #expect(second.token == .value("t"))
        #expect(second.interval == .seconds(60))
    }

    @Test func unknownKeysAreErrorsNamingTheKey() {
        #expect(message("targets:\n  - url: https://x.example\n    intreval: 5s\n")?.contains("unknown key \"intreval\"") == true)
        #expect(message("target:\n  - url: https://x.example\n")?.contains("unknown key \"target\"") == true)
    }

    @Test func badValuesNameTheirPlace() {
        #expect(message("targets:\n  - url: https://x.example\n    interval: soon\n")?.contains("targets[0].interval") == true)
        #expect(message("targets:\n  - url: https://x.example\n    paginate: maybe\n")?.contains("true or false") == true)
        #expect(message("targets: [\n")?.hasPrefix("invalid YAML in test.yml") == true)
        #expect(message("targets: 5\n")?.contains("must be a list") == true)
    }

    @Test func validationCatchesWhatAnSREWouldGetWrong() {
        #expect(message("targets:\n  - name: a\n    url: https://x.example\n  - name: a\n    url: https://y.example\n", validate: true)?.contains("duplicate target name \"a\"") == true)
        #expect(message("targets:\n  - url: https://x.example\n    interval: 5s\n    timeout: 5s\n", validate: true)?.contains("must be shorter than interval") == true)
        #expect(message("targets:\n  - url: ftp://x.example\n", validate: true)?.contains("invalid url") == true)
        #expect(message("targets:\n  - url: https://x.example/?a=b\n", validate: true)?.contains("without query") == true)
        #expect(message("targets: []\n", validate: true)?.contains("no targets") == true)
        #expect(message("targets:\n  - url: https://x.example\n    token_file: /nonexistent/token\n", validate: true)?.contains("cannot read token file /nonexistent/token") == true)
    }

    @Test func displayURLDropsCredentials() {
        var target = defaults
        target.url = "https://user:secret@db.example.com:8443"
        #expect(!target.displayURL.contains("secret"))
        #expect(target.displayURL.contains("db.example.com:8443"))
    }

    @Test func originsSetBudgetsByOrigin() throws {
        let config = try parse("""
            targets:
              - url: https://db.example.com
            origins:
              - url: https://DB.example.com/api
                requests_per_minute: 400
            """)
        #expect(config.originBudgets == ["https://db.example.com:443": 400])
        #expect(config.budget(for: "https://db.example.com:443") == 400)
        #expect(config.budget(for: "https://api.usedatabrain.com:443") == ExporterConfig.defaultRequestsPerMinute)
    }

    @Test(arguments: [
        ("origins:\n  - url: https://a.example\n    requests_per_minute: 0", "test.yml:5 origins[0].requests_per_minute: expected a whole number of at least 1"),
        ("origins:\n  - url: https://a.example\n    per_minute: 10", #"test.yml:5 origins[0]: unknown key "per_minute" (known: requests_per_minute, url)"#),
        ("origins:\n  - requests_per_minute: 10", "test.yml:4 origins[0].url: expected the origin's URL, e.g. https://databrain.example.com"),
        ("origins:\n  - url: https://a.example\n    requests_per_minute: 10\n  - url: https://A.example:443/x\n    requests_per_minute: 20",
         "test.yml:6 origins[1].url: https://a.example:443 has a budget already; keep one"),
    ])
    func aBadOriginIsOneLineNamingIt(origins: String, expected: String) {
        #expect(message("targets:\n  - url: https://a.example\n" + origins) == expected)
    }

    @Test func aTargetsCollectorsListIsItsExactSet() throws {
        let config = try parse("targets:\n  - url: https://a.example\n    collectors: [workspaces, datasources, workspaces]\n  - url: https://b.example\n    collectors: [datasources]\n  - url: https://c.example\n  - url: https://d.example\n    collectors: [datamarts, data_apps, datasources]")
        #expect(config.targets.map(\.collectors) == [[.datasources, .workspaces], [.datasources], CollectorName.defaults, [.datasources, .dataApps, .datamarts]])
    }

    @Test(arguments: [
        ("collectors: [datasources, embeds]", "test.yml:3 targets[0].collectors: unknown collector \"embeds\" (known: datasources, workspaces, data_apps, datamarts, hasura)"),
        ("collectors: []", "test.yml:3 targets[0].collectors: an empty list turns off the datasources collector, which databrain_up reports"),
        ("collectors: [workspaces]", #"target "a.example": the datasources collector cannot be turned off: it is what databrain_up reports (list it under collectors:)"#),
    ])
    func aBadCollectorsListIsOneLine(line: String, expected: String) {
        #expect(message("targets:\n  - url: https://a.example\n    \(line)", validate: true) == expected)
    }
}
