import Foundation
import Testing

/// Flags, exit codes and the one-line errors a user sees.
@Suite struct CommandLineTests {
    private func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let process = try ManagedProcess(name: "cli", executable: BuildProducts.exporter, arguments: arguments, environment: environment, asServiceUser: true)
        let status = try await process.waitForExit()
        return (status, process.stdout, process.stderr)
    }

    @Test func onceExitsZeroAndPrintsTheExpositionWhenUp() async throws {
        let simulator = try await Simulator(datasources: 3)
        let token = try TokenFile(simulator.token)
        let result = try await run(["--once", "--databrain.url", simulator.baseURL, "--databrain.token-file", token.path])
        #expect(result.status == 0)
        let metrics = Exposition(result.stdout)
        #expect(metrics.value("databrain_datasources") == 3)
        #expect(metrics.value("databrain_up") == 1)
        #expect(!result.stdout.contains(simulator.token) && !result.stderr.contains(simulator.token))
    }

    @Test func onceExitsOneWhenATargetIsDown() async throws {
        let simulator = try await Simulator(datasources: 3)
        let result = try await run(["--once", "--databrain.url", simulator.baseURL], environment: ["DATABRAIN_TOKEN": "wrong-token-value"])
        #expect(result.status == 1)
        #expect(Exposition(result.stdout).value("databrain_api_requests_total", ["endpoint": "datasource", "code": "401"]) == 1)
        #expect(!result.stderr.contains("wrong-token-value"))
    }

    @Test func configCheckAcceptsAGoodFile() async throws {
        let token = try TokenFile("t")
        let config = try writeTemporary("targets:\n  - name: prod\n    url: https://db.example.com\n    token_file: \(token.path)\n")
        let result = try await run(["--config.file", config, "--config.check"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("configuration OK: 1 target(s): prod"))
    }

    /// Each bad input: exactly one line on stderr that names the problem, and the README's exit
    /// code: 2 for a wrong command line (any flag or flag value), 1 for configuration (files, environment).
    @Test(arguments: [
        (["--no-such-flag"], "--no-such-flag", 2),
        (["--poll.interval", "soon"], "--poll.interval", 2),
        (["--poll.interval", "5s", "--poll.timeout", "10s"], "must be shorter than interval", 1),
        (["--databrain.token-file", "/nonexistent/token"], "cannot read token file /nonexistent/token", 1),
        ([String](), "no service token", 1),
        (["--databrain.url", "not a url"], "invalid url", 1),
        (["--web.listen-address", "nope"], "--web.listen-address", 2),
        (["--web.systemd-socket", "--web.listen-address", ":7987"], "exclude each other", 2),
        (["--web.external-url", "proxy.example.com/x"], "--web.external-url", 2),
        (["--log.format", "xml"], "--log.format", 2),
        (["--config.file", "/nonexistent/config.yml"], "cannot read config file /nonexistent/config.yml", 1),
        (["--databrain.token-file", "@empty-file@"], "is empty", 1),
        (["--databrain.token-file", "@directory@"], "cannot read token file", 1),
        (["--config.file", "@duplicate-targets@"], "duplicate target name", 1),
        (["--config.file", "@unknown-key@"], "intreval", 1),
        (["--web.config.file", "@unknown-web-key@"], "tls_config", 1),
        (["--web.config.file", "@missing-cert@"], "cannot read /nonexistent/tls.crt", 1),
        (["--web.config.file", "@plain-password@"], "expected a bcrypt hash", 1),
        (["--web.config.file", "@client-ca-without-policy@"], "client CA's have been configured without a Client Auth Policy", 1),
        (["--web.config.file", "@mismatched-key@"], "does not match the certificate", 1),
        (["--web.config.file", "@garbage-client-ca@"], "holds no PEM certificate (the client CA must be PEM", 1),
        (["--web.config.file", "@rate-limit@"], "rate_limit is not supported", 1),
        (["--web.max-requests", "-1"], "--web.max-requests", 2),
        (["--web.idle-timeout", "0s"], "--web.idle-timeout", 2),
        (["--no-collector.datasources"], "the datasources collector cannot be turned off", 2),
        (["--collector.embeds"], "unknown collector flag --collector.embeds (collectors: datasources, workspaces, data_apps, datamarts, hasura)", 2),
        (["--collector.hasura"], "the hasura collector needs hasura_url", 1),
        (["--collector.hasura", "--collector.hasura.url", "hasura:8080"], "hasura_url: \"hasura:8080\" is not a base URL", 1),
        (["--config.shards", "3", "--config.shard", "3"], "shard 3 does not exist", 2),
        (["--databrain.requests-per-minute", "0"], "--databrain.requests-per-minute must be at least 1", 1),
    ])
    func badInputGivesOneClearLine(arguments: [String], expected: String, code: Int32) async throws {
        // A token is present except where its absence is the point, so each case fails for its own reason.
        let environment = expected == "no service token" ? [:] : ["DATABRAIN_TOKEN": "some-token"]
        let result = try await run(try arguments.map(materialise) + ["--config.check"], environment: environment)
        #expect(result.status == code, "exit code; stderr was: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr was: \(result.stderr)")
        #expect(result.stderr.contains(expected), "stderr was: \(result.stderr)")
    }

    @Test func aPortInUseIsOneClearLine() async throws {
        let simulator = try await Simulator()
        let first = try await Exporter(simulator: simulator)
        let token = try TokenFile(simulator.token)
        let port = first.port
        let result = try await run(["--databrain.url", simulator.baseURL, "--databrain.token-file", token.path, "--web.listen-address", "127.0.0.1:\(port)"])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("already in use"))
        try await first.stopAndCheckSecrets()
    }

    @Test func sigtermDuringAHangingPollExitsZeroWithoutWaitingForTheAPI() async throws {
        let simulator = try await Simulator()
        try await simulator.fault("kind=hang")
        let exporter = try await Exporter(simulator: simulator, extra: ["--poll.interval", "60s", "--poll.timeout", "30s"])
        try await eventually("the poll to be in flight") { try await simulator.stats().requests(.datasource) == 1 ? true : nil }
        exporter.process.signal(SIGTERM)
        // Far inside the 30 s request timeout: the in-flight request is abandoned, not awaited.
        #expect(try await exporter.process.waitForExit(timeout: .seconds(5)) == 0, "stderr: \(exporter.process.stderr)")
        try exporter.assertNoSecretsWritten()
    }

    /// SIGTERM while TLS transfers are in flight on libcurl's thread: the exit must not run
    /// OpenSSL's exit-time cleanup under that thread (it crashed about one stop in ten).
    @Test func sigtermDuringTLSTransfersExitsZeroEveryTime() async throws {
        let certificate = try TestCertificate.selfSigned()
        let simulator = try await Simulator(tls: certificate)
        for round in 0..<10 {
            let exporter = try await Exporter(simulator: simulator)
            try await Task.sleep(for: .milliseconds(50 + 80 * round))  // land at different points of a poll
            #expect(try await exporter.process.stop() == 0, "round \(round): \(exporter.process.stderr.suffix(300))")
        }
    }

    /// The flag table (docs/configuration.md) is what users read; `--help` is what the binary does. Every flag
    /// is in both, and every default `--help` states is the table's.
    @Test func theDocumentedFlagTableMatchesHelp() async throws {
        let help = try await run(["--help"])
        #expect(help.status == 0)
        // "  --flag <value>   text (default: X)": an entry may wrap over several lines.
        var helpDefaults: [String: String?] = [:]
        var current: String?
        var text = ""
        func finish() {
            guard let current else { return }
            let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            helpDefaults.updateValue(flat.firstRange(of: "(default: ").map { String(flat[$0.upperBound...].prefix { $0 != ")" }) }, forKey: current)
        }
        for line in help.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if line.hasPrefix("  --"), let flag = trimmed.split(separator: " ").first {
                finish()
                current = String(flag.split(separator: "/").first!)
                text = String(trimmed)
            } else {
                text += " " + trimmed
            }
        }
        finish()
        helpDefaults.removeValue(forKey: "--help")

        var documentedDefaults: [String: String] = [:]
        let page = try RepositoryFiles.text("docs/configuration.md")
        let flagsSection = page[try #require(page.range(of: "\n## Flags\n")).upperBound...].prefix { _ in true }
        let table = flagsSection[..<(flagsSection.range(of: "\n## ")?.lowerBound ?? flagsSection.endIndex)]
        for line in table.split(separator: "\n") where line.hasPrefix("| `--") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let flag = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            guard flag.allSatisfy({ $0.isLetter || $0 == "." || $0 == "-" || $0 == "_" }) else { continue }  // other tables' rows
            let defaultCell = cells.count > 1 ? cells[1] : ""
            documentedDefaults[flag] = defaultCell.hasPrefix("`") ? String(defaultCell.dropFirst().prefix { $0 != "`" }) : ""
        }
        #expect(Set(helpDefaults.keys) == Set(documentedDefaults.keys), "flags in --help and docs/configuration.md differ")
        for (flag, stated) in helpDefaults {
            guard let stated, !stated.hasPrefix("--"), !stated.hasPrefix("the ") else { continue }
            #expect(documentedDefaults[flag] == stated, "\(flag): --help says \(stated), docs/configuration.md \(documentedDefaults[flag] ?? "nothing")")
        }
    }

    /// node_exporter's spelling for every collector, underscores included, and kingpin's rule:
    /// the last of `--collector.X` and `--no-collector.X` wins.
    @Test(arguments: [
        ([String](), "datasources, workspaces, data_apps, datamarts; 4 requests"),
        (["--no-collector.data_apps", "--no-collector.datamarts"], "datasources, workspaces; 2 requests"),
        (["--no-collector.workspaces", "--no-collector.datamarts", "--collector.datamarts"], "datasources, data_apps, datamarts; 3 requests"),
        // Off by default; its request goes to Hasura's origin, not the API's.
        (["--collector.hasura", "--collector.hasura.url=http://hasura:8080"], "datasources, workspaces, data_apps, datamarts, hasura; 4 requests"),
    ])
    func collectorFlagsTurnCollectorsOnAndOff(flags: [String], expected: String) async throws {
        let token = try TokenFile("t")
        let result = try await run(["--databrain.url", "https://databrain.example", "--databrain.token-file", token.path, "--config.check"] + flags)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("collectors \(expected) per poll at least"), "\(result.stdout)")
    }

    /// Laid out as Prometheus' binaries print theirs, so the same eyes and scripts read it.
    @Test func versionPrintsTheVersionLine() async throws {
        let result = try await run(["--version"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.wholeMatch(of: /databrain_exporter, version 0\.1\.0 \(branch: [^,]+, revision: [^)]+\)/) != nil, "\(lines)")
        #expect(lines.dropFirst().map { String($0.prefix(20)) } == [
            "  build user:       ", "  build date:       ", "  swift version:    ", "  libcurl version:  ", "  platform:         ",
        ])
        #expect(result.stdout.contains("platform:         linux/"))
    }

    @Test func sighupReloadsTheConfigAndABadOneIsRejected() async throws {
        let simulator = try await Simulator(datasources: 2)
        let token = try TokenFile(simulator.token)
        let target = { (name: String) in "  - name: \(name)\n    url: \(simulator.baseURL)\n    token_file: \(token.path)\n    interval: 300ms\n    timeout: 250ms\n" }
        let config = try writeTemporary("targets:\n" + target("one"))
        let exporter = try await Exporter(arguments: ["--config.file", config] + Exporter.unthrottled, secrets: [simulator.token])
        try await exporter.waitFor("target one") { $0.value("databrain_up", ["target": "one"]) == 1 }

        try Data(("targets:\n" + target("two")).utf8).write(to: URL(fileURLWithPath: config))
        exporter.process.signal(SIGHUP)
        let reloaded = try await exporter.waitFor("target two") { $0.value("databrain_up", ["target": "two"]) == 1 }
        #expect(reloaded.all("databrain_up").count == 1)  // target one's series are gone

        try Data("targets: [broken\n".utf8).write(to: URL(fileURLWithPath: config))
        exporter.process.signal(SIGHUP)
        _ = try await exporter.process.waitForOutput("configuration reload failed")
        #expect(try await exporter.scrape().value("databrain_up", ["target": "two"]) == 1)
        try await exporter.stopAndCheckSecrets()
    }

    /// Turns an `@name@` placeholder of the bad-input table into a file made for it.
    private func materialise(_ argument: String) throws -> String {
        let token = try TokenFile("t").path
        switch argument {
        case "@empty-file@": return try writeTemporary("")
        case "@directory@": return FileManager.default.temporaryDirectory.path
        case "@duplicate-targets@":
            let target = "  - name: prod\n    url: https://db.example.com\n    token_file: \(token)\n"
            return try writeTemporary("targets:\n" + target + target)
        case "@unknown-key@": return try writeTemporary("targets:\n  - name: prod\n    intreval: 30s\n    token_file: \(token)\n")
        case "@unknown-web-key@": return try writeTemporary("tls_config:\n  cert_file: a\n")
        case "@missing-cert@": return try writeTemporary("tls_server_config:\n  cert_file: /nonexistent/tls.crt\n  key_file: /nonexistent/tls.key\n")
        case "@plain-password@": return try writeTemporary("basic_auth_users:\n  prometheus: hunter2\n")
        case "@client-ca-without-policy@", "@mismatched-key@", "@garbage-client-ca@":
            // What --config.check loads is what start-up loads: each of these starts no server.
            let server = try TestCertificate.selfSigned(), other = try TestCertificate.selfSigned()
            let tls = "tls_server_config:\n  cert_file: \(server.certificate)\n"
            switch argument {
            case "@client-ca-without-policy@": return try writeTemporary(tls + "  key_file: \(server.key)\n  client_ca_file: \(other.certificate)\n")
            case "@mismatched-key@": return try writeTemporary(tls + "  key_file: \(other.key)\n")
            default:
                let garbage = try writeTemporary("not a certificate\n")
                return try writeTemporary(tls + "  key_file: \(server.key)\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: \(garbage)\n")
            }
        case "@rate-limit@": return try writeTemporary("rate_limit:\n  interval: 1s\n  burst: 10\n")
        default: return argument
        }
    }

    @Test func sigtermDuringAStuckScrapeExitsZero() async throws {
        try await HeavyTests.exclusively {
            let simulator = try await Simulator(datasources: 100_000)
            let exporter = try await Exporter(simulator: simulator, extra: ["--poll.interval", "5s", "--poll.timeout", "4s"])
            try await exporter.waitFor("100,000 datasources", timeout: .seconds(60)) { $0.value("databrain_datasources", ["target": "sim"]) == 100_000 }
            // A scrape stuck mid-response: the client reads nothing of the 7 MB.
            let reader = try RawConnection(port: exporter.port, receiveBuffer: 4096)
            reader.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = reader.read(timeout: .seconds(5)) { $0.utf8.count > 100 }
            let started = ContinuousClock.now
            exporter.process.signal(SIGTERM)
            // The bound only proves the stuck client is not waited for (it would never finish);
            // how fast the exit is, is measured by scripts/soak, not asserted here.
            #expect(try await exporter.process.waitForExit(timeout: .seconds(10)) == 0)
            print("sigtermDuringAScrape: exited in \(ContinuousClock.now - started)")
            try exporter.assertNoSecretsWritten()
        }
    }

    @Test func postReloadAppliesTheConfigAndABadOneIsRejectedAndRecorded() async throws {
        let simulator = try await Simulator(datasources: 2)
        let token = try TokenFile(simulator.token)
        let target = { (name: String) in "  - name: \(name)\n    url: \(simulator.baseURL)\n    token_file: \(token.path)\n    interval: 300ms\n    timeout: 250ms\n" }
        let config = try writeTemporary("targets:\n" + target("one"))
        let exporter = try await Exporter(arguments: ["--config.file", config] + Exporter.unthrottled, secrets: [simulator.token])
        let first = try await exporter.waitFor("target one") { $0.value("databrain_up", ["target": "one"]) == 1 }
        #expect(first.value("databrain_exporter_config_last_reload_successful") == 1)
        #expect(try await HTTP.get(exporter.baseURL + "/-/reload").status == 405)

        try Data(("targets:\n" + target("two")).utf8).write(to: URL(fileURLWithPath: config))
        let applied = try await HTTP.request("POST", exporter.baseURL + "/-/reload")
        #expect(applied.status == 200)
        let reloaded = try await exporter.waitFor("target two") { $0.value("databrain_up", ["target": "two"]) == 1 }
        #expect(reloaded.all("databrain_up").count == 1)

        try Data(("targets:\n" + target("three") + "    colour: blue\n").utf8).write(to: URL(fileURLWithPath: config))
        let rejected = try await HTTP.request("POST", exporter.baseURL + "/-/reload")
        #expect(rejected.status == 500)
        #expect(rejected.body.contains("colour"), "the answer says what is wrong: \(rejected.body)")
        let kept = try await exporter.waitFor("the failure to be recorded") { $0.value("databrain_exporter_config_last_reload_successful") == 0 }
        #expect(kept.value("databrain_up", ["target": "two"]) == 1, "the previous configuration keeps running")
        try await exporter.stopAndCheckSecrets()
    }

    private func writeTemporary(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString).yml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
