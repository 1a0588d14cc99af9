import NIOSSL

/// Builds the server's TLS context from `tls_server_config`.
enum TLSContextFactory {
    static func make(_ tls: TLSServerConfig, source: String) throws(ConfigError) -> NIOSSLContext {
        do {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certFile).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.keyFile, format: .pem)))
            configuration.minimumTLSVersion = tls.minVersion == .tls13 ? .tlsv13 : .tlsv12
            if let max = tls.maxVersion { configuration.maximumTLSVersion = max == .tls13 ? .tlsv13 : .tlsv12 }
            if tls.clientAuth == .requireAndVerify, let clientCAFile = tls.clientCAFile {
                // For a server, verification on means a client certificate is required and checked.
                configuration.certificateVerification = .noHostnameVerification
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCAFile))
            }
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ConfigError("\(source) tls_server_config: cannot use \(tls.certFile) / \(tls.keyFile): \(error)")
        }
    }
}
