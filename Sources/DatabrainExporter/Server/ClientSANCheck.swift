#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NIOCore
import NIOSSL
import NIOTLS

/// `client_allowed_sans`: once the handshake has verified the client's chain, its certificate
/// must carry one of the allowed subject alternative names (DNS name, email, IP address or URI,
/// compared as exporter-toolkit compares them), or the connection is closed before any request
/// is read. Go fails the handshake itself; here the handshake completes and the connection then
/// closes, so the client gets no response either way.
final class ClientSANCheck: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let allowed: Set<String>
    private var verified = false
    private var held: [NIOAny] = []

    init(allowed: [String]) {
        self.allowed = Set(allowed)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate
            guard let certificate, Self.names(of: certificate).contains(where: allowed.contains) else {
                context.close(promise: nil)
                return
            }
            verified = true
            for data in held { context.fireChannelRead(data) }
            held.removeAll()
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Nothing reaches HTTP before the names are checked.
        if verified { context.fireChannelRead(data) } else { held.append(data) }
    }

    /// The certificate's SANs as strings, in Go's spelling (IPv4 dotted, IPv6 compressed).
    static func names(of certificate: NIOSSLCertificate) -> [String] {
        certificate._subjectAlternativeNames().compactMap { name in
            let bytes = name.contents.withUnsafeBufferPointer { Array($0) }
            switch name.nameType {
            case .dnsName, .email, .uri:
                return String(decoding: bytes, as: UTF8.self)
            case .ipAddress:
                return ipString(bytes)
            default:
                return nil
            }
        }
    }

    private static func ipString(_ bytes: [UInt8]) -> String? {
        let family: Int32
        switch bytes.count {
        case 4: family = AF_INET
        case 16: family = AF_INET6
        default: return nil
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let ok = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &text, socklen_t(text.count)) != nil }
        guard ok else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
