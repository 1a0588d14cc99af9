import NIOCore
import NIOSSL

/// What a TLS connection needs from `tls_server_config`: the BoringSSL context, and how to treat
/// client certificates beyond what the context verifies itself.
struct TLSServerContext: Sendable {
    let context: NIOSSLContext
    /// RequestClientCert and RequireAnyClientCert: ask for a certificate but accept any.
    let acceptsAnyClientCertificate: Bool
    /// `client_allowed_sans`: checked once the handshake has verified the chain.
    let allowedSANs: [String]?

    /// The handlers a new connection gets, in pipeline order.
    func makeHandlers() -> [any ChannelHandler] {
        var handlers: [any ChannelHandler] = [PlainHTTPOnTLSPortResponder()]
        if acceptsAnyClientCertificate {
            // The context asks for a certificate (and, for RequireAny, requires one); this
            // replaces only the chain check, as Go's RequestClientCert and RequireAnyClientCert do.
            handlers.append(NIOSSLServerHandler(context: context) { _, promise in promise.succeed(.certificateVerified) })
        } else {
            handlers.append(NIOSSLServerHandler(context: context))
        }
        if let allowedSANs { handlers.append(ClientSANCheck(allowed: allowedSANs)) }
        return handlers
    }
}

/// Builds the server's TLS context from `tls_server_config`, with exporter-toolkit's semantics.
/// Start-up, every reload and `--config.check` go through here, so a file that passes the check
/// starts; each failure names the file (or inline key) at fault.
enum TLSContextFactory {
    static func make(_ tls: TLSServerConfig, source: String) throws(ConfigError) -> TLSServerContext {
        let place = "\(source) tls_server_config"
        let certificateName = tls.certificate.describe(inlineKey: "cert")
        let keyName = tls.key.describe(inlineKey: "key")
        let chain = try certificates(tls.certificate, name: certificateName, role: "certificate", place: place)
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: try bytes(tls.key, name: keyName, place: place), format: .pem)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError("\(place): \(keyName) holds no usable PEM private key")
        }

        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = protocolVersion(tls.minVersion)
        configuration.maximumTLSVersion = tls.maxVersion.map(protocolVersion)
        // Forward secrecy by default, as Go: no static-RSA key exchange unless cipher_suites asks.
        // TLS 1.3's suites are fixed in BoringSSL, as in Go.
        configuration.cipherSuiteValues = (tls.cipherSuites ?? TLSCipherSuite.goDefaults).filter { !$0.isTLS13 }.map { NIOTLSCipher(rawValue: $0.value) }
        if let curves = tls.curvePreferences { configuration.curves = curves.map { NIOTLSCurve(rawValue: $0.value) } }

        // The key must belong to the certificate: checked before any CA is involved, so the
        // message can say which files disagree.
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw ConfigError("\(place): the private key \(keyName) does not match the certificate \(certificateName), or cannot be used with it")
        }

        switch tls.clientAuth {
        case .none:
            configuration.certificateVerification = .none
        case .request, .verifyIfGiven:
            configuration.certificateVerification = .optionalVerification
        case .requireAny, .requireAndVerify:
            // For a server, verification means a client certificate is required.
            configuration.certificateVerification = .noHostnameVerification
        }
        if let clientCA = tls.clientCA {
            let name = clientCA.describe(inlineKey: "client_ca")
            configuration.trustRoots = .certificates(try certificates(clientCA, name: name, role: "client CA", place: place))
            // As Go: the certificate request names the acceptable CAs, so clients pick the right certificate.
            configuration.sendCANameList = true
        } else {
            configuration.trustRoots = .default  // Go verifies against the system roots without client CAs, too
        }
        do {
            let context = try NIOSSLContext(configuration: configuration)
            return TLSServerContext(context: context, acceptsAnyClientCertificate: tls.clientAuth == .request || tls.clientAuth == .requireAny,
                                    allowedSANs: tls.clientAllowedSANs)
        } catch {
            throw ConfigError("\(place): cannot build the TLS context: \(error)")
        }
    }

    private static func protocolVersion(_ version: TLSServerConfig.Version) -> TLSVersion {
        switch version {
        case .tls10: return .tlsv1
        case .tls11: return .tlsv11
        case .tls12: return .tlsv12
        case .tls13: return .tlsv13
        }
    }

    private static func bytes(_ source: PEMSource, name: String, place: String) throws(ConfigError) -> [UInt8] {
        switch source {
        case .inline(let text):
            return Array(text.utf8)
        case .file(let path):
            switch FileSystem.readSmallFile(path, limit: 4 << 20) {
            case .success(let bytes): return bytes
            case .failure(let error): throw ConfigError("\(place): cannot read \(path): \(error.message); check the path and permissions")
            }
        }
    }

    /// The PEM certificates in `source`; empty, DER or garbage is an error naming it.
    private static func certificates(_ source: PEMSource, name: String, role: String, place: String) throws(ConfigError) -> [NIOSSLCertificate] {
        let data = try bytes(source, name: name, place: place)
        let certificates = try? NIOSSLCertificate.fromPEMBytes(data)
        guard let certificates, !certificates.isEmpty else {
            throw ConfigError("\(place): \(name) holds no PEM certificate (the \(role) must be PEM, \"-----BEGIN CERTIFICATE-----\")")
        }
        return certificates
    }
}
