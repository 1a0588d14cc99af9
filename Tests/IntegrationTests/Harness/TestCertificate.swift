import Foundation

/// A self-signed certificate for 127.0.0.1 (and a CA-signed client certificate when asked),
/// made with the openssl command line in a temporary directory.
struct TestCertificate {
    let certificate: String
    let key: String

    /// A self-signed server certificate valid for 127.0.0.1 and localhost.
    static func selfSigned(commonName: String = "127.0.0.1") throws -> TestCertificate {
        let directory = try temporaryDirectory()
        let certificate = directory + "/cert.pem", key = directory + "/key.pem"
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2",
                     "-subj", "/CN=\(commonName)", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        ServiceUser.grantRead(key)
        return TestCertificate(certificate: certificate, key: key)
    }

    /// A client certificate signed by this (CA) certificate, with these subject alternative names
    /// (`DNS:prometheus`, `IP:10.0.0.1`, …) when given.
    func signClient(commonName: String, subjectAlternativeNames: [String] = []) throws -> TestCertificate {
        let directory = try Self.temporaryDirectory()
        let certificate = directory + "/client.pem", key = directory + "/client-key.pem", request = directory + "/client.csr"
        let sans = subjectAlternativeNames.isEmpty ? [] : ["-addext", "subjectAltName=" + subjectAlternativeNames.joined(separator: ",")]
        try Self.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request, "-subj", "/CN=\(commonName)"] + sans)
        try Self.openssl(["x509", "-req", "-in", request, "-CA", self.certificate, "-CAkey", self.key, "-CAcreateserial",
                          "-out", certificate, "-days", "2", "-copy_extensions", "copyall"])
        ServiceUser.grantRead(key)
        return TestCertificate(certificate: certificate, key: key)
    }

    private static func temporaryDirectory() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cert-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    private static func openssl(_ arguments: [String]) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("openssl-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let process = try ChildProcess(executable: BuildProducts.systemTool("openssl") ?? "/usr/bin/openssl", arguments: arguments,
                                       environment: ProcessInfo.processInfo.environment, stdinPath: nil, stdoutPath: log, stderrPath: log)
        guard process.waitUntilExit() == 0 else { throw HarnessError("openssl \(arguments.first ?? "") failed") }
    }
}
