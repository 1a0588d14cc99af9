import FoundationEssentials
import Testing
@testable import DatabrainExporter

/// What start-up and `--config.check` both load: a file that passes here starts, and each failure
/// names the file at fault.
@Suite struct TLSContextFactoryTests {
    private func file(_ bytes: [UInt8], _ name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func message(_ config: TLSServerConfig) -> String? {
        do {
            _ = try TLSContextFactory.make(config, source: "w.yml")
            return nil
        } catch {
            return error.message
        }
    }

    private var inline: TLSServerConfig { TLSServerConfig(certificate: .inline(TLSFixtures.certificate), key: .inline(TLSFixtures.key)) }

    @Test func aMatchingPairBuildsFromFilesAndInline() throws {
        #expect(message(inline) == nil)
        let certificate = try file(Array(TLSFixtures.certificate.utf8), "server.crt")
        let key = try file(Array(TLSFixtures.key.utf8), "server.key")
        #expect(message(TLSServerConfig(certificate: .file(certificate), key: .file(key))) == nil)
    }

    @Test func aKeyOfAnotherCertificateIsCaughtAndBothFilesNamed() throws {
        let certificate = try file(Array(TLSFixtures.certificate.utf8), "server.crt")
        let key = try file(Array(TLSFixtures.otherKey.utf8), "other.key")
        let problem = message(TLSServerConfig(certificate: .file(certificate), key: .file(key)))
        #expect(problem?.contains("the private key \(key) does not match the certificate \(certificate)") == true)
    }

    @Test func garbageKeysAndCertificatesAreNamed() throws {
        let garbage = try file(Array("not a key".utf8), "garbage.key")
        #expect(message(TLSServerConfig(certificate: .inline(TLSFixtures.certificate), key: .file(garbage)))?.contains("\(garbage) holds no usable PEM private key") == true)
        #expect(message(TLSServerConfig(certificate: .file("/nonexistent/server.crt"), key: .inline(TLSFixtures.key)))?.contains("cannot read /nonexistent/server.crt") == true)
        let der = try file(TLSFixtures.certificateDER, "server.der")
        #expect(message(TLSServerConfig(certificate: .file(der), key: .inline(TLSFixtures.key)))?.contains("\(der) holds no PEM certificate") == true)
    }

    @Test func emptyGarbageAndDERClientCAsAreNamedNotBlamedOnTheServerCertificate() throws {
        for (name, bytes) in [("empty.pem", [UInt8]()), ("garbage.pem", Array("junk".utf8)), ("ca.der", TLSFixtures.certificateDER)] {
            let path = try file(bytes, name)
            var config = inline
            config.clientAuth = .requireAndVerify
            config.clientCA = .file(path)
            let problem = message(config)
            #expect(problem?.contains("\(path) holds no PEM certificate (the client CA") == true, "\(name): \(problem ?? "accepted")")
        }
    }

    @Test func everyClientAuthTypeBuilds() {
        for auth in TLSServerConfig.ClientAuth.allCases {
            var config = inline
            config.clientAuth = auth
            if auth != .none { config.clientCA = .inline(TLSFixtures.certificate) }
            #expect(message(config) == nil, "\(auth)")
        }
    }

    @Test func cipherSuitesCurvesAndOldVersionsBuild() throws {
        var config = inline
        config.cipherSuites = TLSCipherSuite.all
        config.curvePreferences = TLSCurve.all
        config.minVersion = .tls10
        #expect(message(config) == nil)
    }

    @Test func theDefaultsOfferOnlyForwardSecretSuitesForTLS12() {
        #expect(TLSCipherSuite.goDefaults.allSatisfy { $0.name.hasPrefix("TLS_ECDHE_") })
        #expect(TLSCipherSuite.goDefaults.count == 10)
    }
}
