import Foundation
import Testing

/// `--web.config.file` as Prometheus and curl meet it: basic auth with bcrypt, TLS, client
/// certificates, configured headers, and changes picked up without a restart.
@Suite struct WebConfigTests {
    /// bcrypt (cost 10) of "s3cret-pa55", made with Python's crypt module.
    static let prometheusHash = "$2b$10$VH29F12StHdxo1htQRLLMOvVPFKy315byYo77U0enainSMDGtiuJ."

    /// Runs curl and returns the HTTP status it saw (0 when no HTTP answer came) and the body.
    private func curl(_ arguments: [String]) async throws -> (status: Int, body: String, headers: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = try ManagedProcess(name: "curl", executable: BuildProducts.systemTool("curl") ?? "/usr/bin/curl", arguments: [
            "-sS", "--max-time", "10", "-D", directory + "/headers", "-o", directory + "/body", "-w", "%{http_code}",
        ] + arguments)
        _ = try await process.waitForExit(timeout: .seconds(30))
        let headers = (try? String(contentsOfFile: directory + "/headers", encoding: .utf8)) ?? ""
        let body = (try? String(contentsOfFile: directory + "/body", encoding: .utf8)) ?? ""
        return (Int(process.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, body, headers)
    }

    private func webConfig(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("web-\(UUID().uuidString).yml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func basicAuthAcceptsOnlyTheRightPasswordAndHeadersAreAdded() async throws {
        let path = try webConfig("""
            basic_auth_users:
              prometheus: \(Self.prometheusHash)
            http_server_config:
              headers:
                X-Frame-Options: deny
                X-Content-Type-Options: nosniff
            """)
        let simulator = try await Simulator()
        let exporter = try await Exporter(simulator: simulator, extra: ["--web.config.file", path])
        let url = exporter.baseURL + "/metrics"
        let anonymous = try await curl([url])
        #expect(anonymous.status == 401)
        #expect(anonymous.headers.lowercased().contains("www-authenticate: basic"))
        #expect(try await curl(["-u", "prometheus:wrong", url]).status == 401)
        #expect(try await curl(["-u", "nobody:s3cret-pa55", url]).status == 401)
        #expect(try await curl([exporter.baseURL + "/", "-u", "prometheus:wrong"]).status == 401, "every path is protected")
        let allowed = try await curl(["-u", "prometheus:s3cret-pa55", url])
        #expect(allowed.status == 200)
        #expect(allowed.body.contains("databrain_up"))
        #expect(allowed.headers.contains("X-Frame-Options: deny") && allowed.headers.contains("X-Content-Type-Options: nosniff"))

        // Changing the file takes effect without a restart: the old password stops working.
        try Data("basic_auth_users:\n  scraper: \(Self.prometheusHash)\n".utf8).write(to: URL(fileURLWithPath: path))
        try await eventually("the new user to be accepted") {
            try await curl(["-u", "scraper:s3cret-pa55", url]).status == 200 ? true : nil
        }
        #expect(try await curl(["-u", "prometheus:s3cret-pa55", url]).status == 401)
        // A broken new file is rejected and the last good one kept.
        try Data("basic_auth_users: [not, a, mapping]\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try await curl(["-u", "scraper:s3cret-pa55", url]).status == 200)
        try await exporter.stopAndCheckSecrets()
        #expect(exporter.process.stderr.contains("web configuration reload failed"))
        #expect(!exporter.process.stderr.contains(Self.prometheusHash), "the hash is never logged")
    }

    /// 40 scrapers at once with the right password all get in: the bound on bcrypt checks in
    /// flight (16) counts distinct checks, not requests, and identical requests share one check.
    /// (Counting requests turned 284 of 300 such scrapers away with 503 in Benchmarks/basic_auth.py.)
    @Test func concurrentScrapersWithTheSamePasswordAllGetIn() async throws {
        let path = try webConfig("basic_auth_users:\n  prometheus: \(Self.prometheusHash)\n")
        let simulator = try await Simulator()
        let exporter = try await Exporter(simulator: simulator, extra: ["--web.config.file", path])
        let url = exporter.baseURL + "/metrics"
        let process = try ManagedProcess(name: "curl", executable: BuildProducts.systemTool("curl") ?? "/usr/bin/curl", arguments: [
            "-sS", "--max-time", "30", "-Z", "--parallel-immediate", "--parallel-max", "40", "-u", "prometheus:s3cret-pa55",
        ] + Array(repeating: ["-o", "/dev/null", "-w", "%{http_code}\n", url], count: 40).flatMap { $0 })
        _ = try await process.waitForExit(timeout: .seconds(60))
        let codes = process.stdout.split(separator: "\n")
        #expect(codes.count == 40 && codes.allSatisfy { $0 == "200" }, "status codes: \(codes)")
        try await exporter.stopAndCheckSecrets()
    }

    @Test func tlsServesHTTPSAndRefusesPlainHTTP() async throws {
        let certificate = try TestCertificate.selfSigned()
        let path = try webConfig("""
            tls_server_config:
              cert_file: \(certificate.certificate)
              key_file: \(certificate.key)
              min_version: TLS12
            """)
        let simulator = try await Simulator()
        let exporter = try await Exporter(simulator: simulator, extra: ["--web.config.file", path])
        let https = exporter.baseURL.replacingOccurrences(of: "http://", with: "https://") + "/metrics"
        let secure = try await curl(["--cacert", certificate.certificate, https])
        #expect(secure.status == 200)
        #expect(secure.body.contains("databrain_up"))
        #expect(try await curl([https]).status == 0, "an untrusted certificate is refused by curl")
        // As Go's server answers plain HTTP on its TLS port.
        let plain = try await curl([exporter.baseURL + "/metrics"])
        #expect(plain.status == 400)
        #expect(plain.body == "Client sent an HTTP request to an HTTPS server.\n")
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aRequiredClientCertificateIsEnforced() async throws {
        let authority = try TestCertificate.selfSigned(commonName: "test client CA")
        let server = try TestCertificate.selfSigned()
        let client = try authority.signClient(commonName: "prometheus")
        let path = try webConfig("""
            tls_server_config:
              cert_file: \(server.certificate)
              key_file: \(server.key)
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: \(authority.certificate)
            """)
        let simulator = try await Simulator()
        let exporter = try await Exporter(simulator: simulator, extra: ["--web.config.file", path])
        let https = exporter.baseURL.replacingOccurrences(of: "http://", with: "https://") + "/metrics"
        #expect(try await curl(["--cacert", server.certificate, https]).status == 0, "no client certificate: no answer")
        let mutual = try await curl(["--cacert", server.certificate, "--cert", client.certificate, "--key", client.key, https])
        #expect(mutual.status == 200)
        let stranger = try server.signClient(commonName: "intruder")  // signed by a CA the exporter does not trust
        #expect(try await curl(["--cacert", server.certificate, "--cert", stranger.certificate, "--key", stranger.key, https]).status == 0)
        try await exporter.stopAndCheckSecrets()
    }
}
