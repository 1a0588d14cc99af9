import Foundation
import Testing

/// exporter-toolkit's web config cases (its `tls_config_test.go`), met by real clients: openssl
/// s_client for what happens in the handshake, curl for what a scraper sees.
@Suite struct WebConfigParityTests {
    /// A server certificate, a CA and clients signed by it, shared by the cases below.
    struct Material {
        let server: TestCertificate
        let authority: TestCertificate
        let client: TestCertificate
        /// Signed by the server's own key: a CA the exporter is never told about.
        let stranger: TestCertificate

        init() throws {
            server = try TestCertificate.selfSigned()
            authority = try TestCertificate.selfSigned(commonName: "parity client CA")
            client = try authority.signClient(commonName: "prometheus", subjectAlternativeNames: ["DNS:test3", "IP:10.0.0.7"])
            stranger = try server.signClient(commonName: "stranger")
        }
    }

    private func webConfig(_ yaml: String, in directory: String? = nil) throws -> String {
        let folder = directory ?? FileManager.default.temporaryDirectory.path
        let path = folder + "/web-\(UUID().uuidString).yml"
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func exporter(_ yaml: String) async throws -> (Exporter, String) {
        let simulator = try await Simulator()
        let exporter = try await Exporter(simulator: simulator, extra: ["--web.config.file", try webConfig(yaml)])
        return (exporter, exporter.baseURL.replacingOccurrences(of: "http://", with: "https://") + "/metrics")
    }

    /// `openssl s_client` against the exporter: whether the handshake succeeded, and what it printed.
    private func handshake(_ exporter: Exporter, _ arguments: [String]) async throws -> (ok: Bool, output: String) {
        let process = try ManagedProcess(name: "s_client", executable: BuildProducts.systemTool("openssl") ?? "/usr/bin/openssl",
                                         arguments: ["s_client", "-connect", exporter.hostPort, "-brief"] + arguments)
        let status = try await process.waitForExit(timeout: .seconds(30))
        return (status == 0 && process.stderr.contains("CONNECTION ESTABLISHED"), process.stdout + process.stderr)
    }

    /// curl's HTTP status (0: no HTTP answer).
    private func status(_ arguments: [String]) async throws -> Int {
        let process = try ManagedProcess(name: "curl", executable: BuildProducts.systemTool("curl") ?? "/usr/bin/curl",
                                         arguments: ["-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}"] + arguments)
        _ = try await process.waitForExit(timeout: .seconds(30))
        return Int(process.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    private func tls(_ m: Material, _ extra: String = "") -> String {
        "tls_server_config:\n  cert_file: \(m.server.certificate)\n  key_file: \(m.server.key)\n" + extra
    }

    @Test func tls12OffersOnlyForwardSecretSuitesAndNoTLS11() async throws {
        let m = try Material()
        let (exporter, _) = try await exporter(tls(m))
        #expect(try await handshake(exporter, ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"]).ok)
        #expect(try await !handshake(exporter, ["-tls1_2", "-cipher", "AES128-GCM-SHA256"]).ok, "static RSA key exchange is not offered")
        #expect(try await !handshake(exporter, ["-tls1_2", "-cipher", "AES256-SHA"]).ok)
        #expect(try await !handshake(exporter, ["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"]).ok, "TLS 1.1 is refused by default")
        #expect(try await handshake(exporter, ["-tls1_3"]).ok)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func cipherSuitesAndCurvePreferencesRestrictTheHandshake() async throws {
        let m = try Material()
        let (exporter, _) = try await exporter(tls(m, """
              cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]
              curve_preferences: [CurveP521]
              max_version: TLS12
            """))
        #expect(try await handshake(exporter, ["-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-groups", "P-521"]).ok)
        #expect(try await !handshake(exporter, ["-cipher", "ECDHE-RSA-AES256-SHA", "-groups", "P-521"]).ok, "no common cipher")
        #expect(try await !handshake(exporter, ["-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-groups", "P-384"]).ok, "no common curve")
        // The client's order wins, as exporter-toolkit's "client chooses cipher" case expects.
        let chosen = try await handshake(exporter, ["-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256", "-groups", "P-521"])
        #expect(chosen.output.contains("ECDHE-RSA-AES256-GCM-SHA384"))
        try await exporter.stopAndCheckSecrets()
    }

    @Test func requireAnyClientCertTakesAnyCertificateButNotNone() async throws {
        let m = try Material()
        let (exporter, url) = try await exporter(tls(m, "  client_auth_type: RequireAnyClientCert\n"))
        #expect(try await status(["--cacert", m.server.certificate, "--cert", m.stranger.certificate, "--key", m.stranger.key, url]) == 200)
        #expect(try await status(["--cacert", m.server.certificate, url]) == 0)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func requestClientCertAsksButNeverRequires() async throws {
        let m = try Material()
        let (exporter, url) = try await exporter(tls(m, "  client_auth_type: RequestClientCert\n"))
        #expect(try await status(["--cacert", m.server.certificate, url]) == 200)
        #expect(try await status(["--cacert", m.server.certificate, "--cert", m.stranger.certificate, "--key", m.stranger.key, url]) == 200)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func verifyClientCertIfGivenChecksOnlyWhatIsPresented() async throws {
        let m = try Material()
        let (exporter, url) = try await exporter(tls(m, "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: \(m.authority.certificate)\n"))
        #expect(try await status(["--cacert", m.server.certificate, url]) == 200)
        #expect(try await status(["--cacert", m.server.certificate, "--cert", m.client.certificate, "--key", m.client.key, url]) == 200)
        #expect(try await status(["--cacert", m.server.certificate, "--cert", m.stranger.certificate, "--key", m.stranger.key, url]) == 0)
        // As Go, the certificate request names the acceptable CAs (s_client prints them without -brief).
        let process = try ManagedProcess(name: "s_client", executable: BuildProducts.systemTool("openssl") ?? "/usr/bin/openssl",
                                         arguments: ["s_client", "-connect", exporter.hostPort])
        _ = try await process.waitForExit(timeout: .seconds(30))
        let names = process.stdout.components(separatedBy: "Acceptable client certificate CA names").dropFirst().first ?? ""
        #expect(names.contains("parity client CA"), "the CA names are sent: \(process.stdout)")
        try await exporter.stopAndCheckSecrets()
    }

    @Test func clientAllowedSANsLetInOnlyTheNamedClients() async throws {
        let m = try Material()
        let mtls = "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: \(m.authority.certificate)\n"
        let client = ["--cacert", m.server.certificate, "--cert", m.client.certificate, "--key", m.client.key]
        let (allowing, allowingURL) = try await exporter(tls(m, mtls + "  client_allowed_sans: [one, test3, two]\n"))
        #expect(try await status(client + [allowingURL]) == 200)
        try await allowing.stopAndCheckSecrets()
        let (byIP, byIPURL) = try await exporter(tls(m, mtls + "  client_allowed_sans: [10.0.0.7]\n"))
        #expect(try await status(client + [byIPURL]) == 200)
        try await byIP.stopAndCheckSecrets()
        let (refusing, refusingURL) = try await exporter(tls(m, mtls + "  client_allowed_sans: [one, two]\n"))
        #expect(try await status(client + [refusingURL]) == 0, "a verified certificate without an allowed SAN gets no answer")
        try await refusing.stopAndCheckSecrets()
    }

    @Test func inlineCertificateKeyAndClientCA() async throws {
        let m = try Material()
        func indented(_ path: String) throws -> String {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        }
        let (exporter, url) = try await exporter("""
            tls_server_config:
              cert: |
            \(try indented(m.server.certificate))
              key: |
            \(try indented(m.server.key))
              client_auth_type: RequireAndVerifyClientCert
              client_ca: |
            \(try indented(m.authority.certificate))
            """)
        #expect(try await status(["--cacert", m.server.certificate, "--cert", m.client.certificate, "--key", m.client.key, url]) == 200)
        #expect(try await status(["--cacert", m.server.certificate, url]) == 0)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func relativePathsAreReadFromTheConfigFilesDirectory() async throws {
        let m = try Material()
        let directory = URL(fileURLWithPath: m.server.certificate).deletingLastPathComponent().path
        // The exporter's working directory is not the certificates' (it is the test run's).
        let path = try webConfig("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n", in: directory)
        let simulator = try await Simulator()
        let exporter = try await Exporter(simulator: simulator, extra: ["--web.config.file", path])
        let url = exporter.baseURL.replacingOccurrences(of: "http://", with: "https://") + "/metrics"
        #expect(try await status(["--cacert", m.server.certificate, url]) == 200)
        try await exporter.stopAndCheckSecrets()
    }

    @Test func weakMinimumVersionsWorkAndAreSaidLoudly() async throws {
        let m = try Material()
        let (exporter, _) = try await exporter(tls(m, "  min_version: TLS11\n"))
        #expect(try await handshake(exporter, ["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"]).ok)
        #expect(exporter.process.stderr.contains("TLS 1.0 and 1.1 are deprecated"))
        try await exporter.stopAndCheckSecrets()
    }
}
