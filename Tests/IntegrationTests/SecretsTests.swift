import Foundation
import Testing

/// The service token: picked up again when Kubernetes swaps the secret, and written nowhere.
@Suite struct SecretsTests {
    static let token = "dbx-SECRET-7f3c9a-do-not-print"

    /// Kubernetes mounts a secret as `token -> ..data/token`, `..data -> ..<timestamp>/`, and
    /// rotates it by pointing `..data` at a new directory in one rename.
    struct KubernetesSecretVolume {
        let directory: String
        var tokenPath: String { directory + "/token" }

        init(token: String) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try swap(to: token)
            try FileManager.default.createSymbolicLink(atPath: tokenPath, withDestinationPath: "..data/token")
        }

        func swap(to token: String) throws {
            let version = "..\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory + "/" + version, withIntermediateDirectories: true)
            try Data(token.utf8).write(to: URL(fileURLWithPath: directory + "/" + version + "/token"))
            try FileManager.default.createSymbolicLink(atPath: directory + "/..data_tmp", withDestinationPath: version)
            guard rename(directory + "/..data_tmp", directory + "/..data") == 0 else { throw HarnessError("rename failed") }
        }
    }

    @Test func aKubernetesSecretSwapIsPickedUpByTheNextPoll() async throws {
        let simulator = try await Simulator(token: "first-\(UUID().uuidString)")
        let volume = try KubernetesSecretVolume(token: simulator.token)
        let exporter = try await Exporter(
            arguments: ["--databrain.url", simulator.baseURL, "--databrain.target-name", "sim", "--databrain.token-file", volume.tokenPath,
                        "--poll.interval", "300ms", "--poll.timeout", "250ms"],
            secrets: [simulator.token, "second-token-value"])
        try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        try await simulator.rotateToken(to: "second-token-value")
        try await exporter.waitFor("the old token to be refused") { $0.value("databrain_up", ["target": "sim"]) == 0 }
        try volume.swap(to: "second-token-value")
        let recovered = try await exporter.waitFor("the swapped secret to be used") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        #expect(recovered.value("databrain_datasources", ["target": "sim"]) == 3)
        try await exporter.stopAndCheckSecrets()
    }

    /// Every way the exporter talks: logs at debug level in both formats, the landing page, the
    /// metrics, error answers, `--config.check`, `--once`: none contains the token.
    @Test(arguments: ["logfmt", "json"])
    func theTokenAppearsNowhere(format: String) async throws {
        let simulator = try await Simulator(token: Self.token)
        let elsewhere = try await Simulator()
        let token = try TokenFile(Self.token)
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString).yml").path
        try Data("targets:\n  - name: sim\n    url: \(simulator.baseURL)\n    token_file: \(token.path)\n    interval: 300ms\n    timeout: 250ms\n".utf8)
            .write(to: URL(fileURLWithPath: config))
        let exporter = try await Exporter(arguments: ["--config.file", config, "--log.format", format], secrets: [Self.token])
        var seen: [String] = []
        try await exporter.waitFor("the first poll") { $0.value("databrain_up", ["target": "sim"]) == 1 }
        // Refused token, a redirect to another origin, junk, and an outage: each logged.
        try await simulator.fault("kind=status&status=401&count=2")
        try await exporter.waitFor("a 401") { $0.value("databrain_api_requests_total", ["target": "sim", "endpoint": "datasource", "code": "401"]) ?? 0 >= 1 }
        try await simulator.fault("kind=redirect&count=2&location=\("\(elsewhere.baseURL)/steal".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        try await exporter.waitFor("a refused redirect") { $0.value("databrain_api_request_failures_total", ["target": "sim", "endpoint": "datasource", "reason": "redirect"]) ?? 0 >= 1 }
        try await simulator.fault("kind=raw&count=2", body: #"{"error":"bad token \#(Self.token.prefix(3))"}"#)
        try await exporter.waitFor("a decode failure") { $0.value("databrain_api_request_failures_total", ["target": "sim", "endpoint": "datasource", "reason": "decode"]) ?? 0 >= 1 }
        seen.append(try await HTTP.get(exporter.baseURL + "/metrics").body)
        seen.append(try await HTTP.get(exporter.baseURL + "/").body)
        try Data("targets: [\n".utf8).write(to: URL(fileURLWithPath: config))
        seen.append(try await HTTP.request("POST", exporter.baseURL + "/-/reload").body)
        try await exporter.stopAndCheckSecrets()
        let elsewhereStats = try await elsewhere.stats()
        #expect(elsewhereStats.received == 0, "the other origin got \(elsewhereStats.received) requests")

        for arguments in [["--config.check"], ["--once"]] {
            let process = try ManagedProcess(name: "cli", executable: BuildProducts.exporter, arguments: arguments + [
                "--databrain.url", simulator.baseURL, "--databrain.token-file", token.path, "--log.level", "debug", "--log.format", format,
            ], asServiceUser: true)
            _ = try await process.waitForExit()
            seen += [process.stdout, process.stderr]
        }
        seen += [exporter.process.stdout, exporter.process.stderr]
        for (index, text) in seen.enumerated() {
            #expect(!text.contains(Self.token), "output \(index) contains the token")
            #expect(!text.contains("7f3c9a"), "output \(index) contains part of the token")
        }
    }
}
