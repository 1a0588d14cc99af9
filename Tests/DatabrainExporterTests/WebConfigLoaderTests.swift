import Testing
@testable import DatabrainExporter

/// `--web.config.file` parsing, case by case as exporter-toolkit's `web/testdata` files and
/// `tls_config_test.go` expect (file names in the test names), plus this exporter's refusals.
@Suite struct WebConfigLoaderTests {
    private let tls = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"

    private func parse(_ yaml: String, source: String = "/etc/exporter/web.yml") throws(ConfigError) -> WebConfig {
        try WebConfigLoader.parse(yaml: yaml, source: source)
    }

    private func message(_ yaml: String) -> String? {
        do {
            _ = try parse(yaml)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func emptyAndEmptyTLSMeanPlainHTTP() throws {
        #expect(try parse("") == WebConfig())  // web_config_empty.yml
        #expect(try parse("tls_server_config: {}\n").tls == nil)
        #expect(try parse("tls_server_config:\n").tls == nil)
    }

    @Test func junkAndUnknownKeysAreYAMLErrors() {
        #expect(message("hWkNKCp3fvIx3jKnsaBI\nTuEjdwNS8A2vYdFbiKqr\n")?.contains("expected a mapping") == true)  // web_config_junk.yml
        #expect(message("tls_config:\n  cert_file: x\n")?.contains("unknown key \"tls_config\"") == true)  // web_config_junk_key.yml
    }

    @Test func relativePathsAreTakenFromTheConfigFilesDirectory() throws {
        let config = try parse(tls + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca/clients.pem\n")
        #expect(config.tls?.certificate == .file("/etc/exporter/server.crt"))
        #expect(config.tls?.key == .file("/etc/exporter/server.key"))
        #expect(config.tls?.clientCA == .file("/etc/exporter/ca/clients.pem"))
        let absolute = try parse("tls_server_config:\n  cert_file: /tls/a.crt\n  key_file: /tls/a.key\n")
        #expect(absolute.tls?.certificate == .file("/tls/a.crt"))
        #expect(try parse(tls, source: "web.yml").tls?.certificate == .file("server.crt"), "a bare file name: the working directory")
    }

    @Test func certificateAndKeyMustBothBeThere() {
        #expect(message("tls_server_config:\n  cert_file: \"\"\n  key_file: server.key\n")?.contains("missing one of cert or cert_file") == true)
        #expect(message("tls_server_config:\n  cert: \"\"\n  key_file: server.key\n")?.contains("missing one of cert or cert_file") == true)
        #expect(message("tls_server_config:\n  cert_file: server.crt\n  key_file: \"\"\n")?.contains("missing one of key or key_file") == true)
        #expect(message("tls_server_config:\n  cert_file: server.crt\n  key: \"\"\n")?.contains("missing one of key or key_file") == true)
        #expect(message("tls_server_config:\n  cert_file: \"\"\n  key_file: \"\"\n  client_auth_type: RequireAnyClientCert\n")?.contains("missing one of cert or cert_file") == true)
    }

    @Test func clientCAsWithoutAPolicyAreRefusedAsExporterToolkitRefusesThem() {
        // web_config_noAuth.bad.yml: mTLS must never look on while it is off.
        let refusal = message(tls + "  client_ca_file: /dev/null\n")
        #expect(refusal?.contains("client CA's have been configured without a Client Auth Policy") == true)
        #expect(refusal?.hasPrefix("/etc/exporter/web.yml:") == true)
        #expect(message(tls + "  client_ca: x\n  client_auth_type: NoClientCert\n")?.contains("without a Client Auth Policy") == true)
    }

    @Test func everyClientAuthTypeAndTheOldName() throws {
        for auth in TLSServerConfig.ClientAuth.allCases {
            let ca = auth == .none ? "" : "  client_ca_file: ca.pem\n"
            #expect(try parse(tls + "  client_auth_type: \(auth.rawValue)\n" + ca).tls?.clientAuth == auth)
        }
        #expect(try parse(tls + "  client_auth_type: RequireClientCert\n").tls?.clientAuth == .requireAny)
        #expect(message(tls + "  client_auth_type: Sometimes\n")?.contains("invalid ClientAuth: Sometimes") == true)
        #expect(try parse(tls + "  client_auth_type: VerifyClientCertIfGiven\n").tls?.clientCA == nil, "verified against the system roots, as in Go")
    }

    @Test func inlineMaterialAndNotBothForms() throws {
        let config = try parse("tls_server_config:\n  cert: |\n    PEM\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca: CA\n")
        #expect(config.tls?.certificate == .inline("PEM\n"))
        #expect(config.tls?.clientCA == .inline("CA"))
        #expect(message(tls + "  cert: PEM\n")?.contains("set cert_file or cert, not both") == true)
    }

    @Test func cipherSuitesCurvesAndVersionsByGoNames() throws {
        let config = try parse(tls + """
              cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]
              curve_preferences: [CurveP521, X25519]
              min_version: TLS11
              max_version: TLS12
              prefer_server_cipher_suites: false
            """)
        #expect(config.tls?.cipherSuites?.map(\.value) == [0xC02F, 0xC030])
        #expect(config.tls?.curvePreferences?.map(\.name) == ["CurveP521", "X25519"])
        #expect(config.tls?.minVersion == .tls11 && config.tls?.maxVersion == .tls12)
        #expect(config.tls?.preferServerCipherSuites == false)
        #expect(message(tls + "  cipher_suites: [TLS_RSA_WITH_INVENTED]\n")?.contains("unknown cipher: TLS_RSA_WITH_INVENTED") == true)
        #expect(message(tls + "  cipher_suites: [TLS_RSA_WITH_AES_128_CBC_SHA]\n")?.contains("unknown cipher") == true, "Go's insecure list is not accepted")
        #expect(message(tls + "  curve_preferences: [CurveInvented]\n")?.contains("unknown curve: CurveInvented") == true)
        #expect(message(tls + "  min_version: TLS111\n")?.contains("unknown TLS version: TLS111") == true)
        #expect(message(tls + "  min_version: TLS13\n  max_version: TLS12\n")?.contains("no TLS version could be agreed") == true)
    }

    @Test func restrictedCiphersNeedHTTP2sCipherUnlessHTTP2IsOff() throws {
        // web_config_noAuth_noHTTP2Cipher.bad.yml and web_config_noAuth_noHTTP2.good.yml
        let only256 = tls + "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\n  max_version: TLS12\n"
        #expect(message(only256)?.contains("missing an HTTP/2-required") == true)
        #expect(try parse(only256 + "http_server_config:\n  http2: false\n").tls?.cipherSuites?.count == 1)
    }

    @Test func headersAsExporterToolkitChecksThem() throws {
        let good = try parse("http_server_config:\n  headers:\n    X-Frame-Options: deny\n    X-Content-Type-Options: nosniff\n    Strict-Transport-Security: max-age=31536000\n")
        #expect(good.headers.map(\.name) == ["Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options"])
        #expect(message("http_server_config:\n  headers:\n    X-Frame-Options: foo\n")?.contains("invalid value for X-Frame-Options") == true)
        #expect(message("http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n")?.contains("invalid value for X-Content-Type-Options") == true)
        #expect(message("http_server_config:\n  headers:\n    Content-Type: text/html\n")?.contains("HTTP header \"Content-Type\" can not be configured") == true)
    }

    @Test func rateLimitOffIsAcceptedAndOnIsRefused() throws {
        #expect(try parse("rate_limit:\n  interval: 0\n  burst: 0\n") == WebConfig())  // web_config_rate_limiter_nonblocking.yaml
        #expect(message("rate_limit:\n  interval: 1s\n  burst: 1\n")?.contains("rate_limit is not supported") == true)
    }

    @Test func tlsOptionsWithoutACertificateAreRefusedNotIgnored() {
        #expect(message("tls_server_config:\n  min_version: TLS13\n")?.contains("has no certificate") == true)
    }

    @Test func usersNeedBcryptHashes() {
        // web_config_auth_user_list_invalid.bad.yml
        #expect(message("basic_auth_users:\n  alice: plaintext\n")?.contains("expected a bcrypt hash") == true)
        #expect(message("basic_auth_users:\n  alice: plaintext\n")?.contains("plaintext") == false, "the value is never echoed")
    }
}
