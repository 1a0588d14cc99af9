// nio-ceiling BODY_FILE [GZIP_FILE]: serves BODY_FILE at every path on 127.0.0.1 (a free port,
// printed as "listening address=127.0.0.1:PORT"), or GZIP_FILE with Content-Encoding: gzip to a
// request whose Accept-Encoding names gzip. Nothing else: no routing, limits or counters, so what
// it costs per request is NIO's HTTP/1 pipeline and the kernel.
import NIOCore
import NIOHTTP1
import NIOPosix

// Foundation only to read the two files at start-up: nothing per request uses it.
import Foundation

func readFile(_ path: String) -> ByteBuffer {
    guard let data = FileManager.default.contents(atPath: path) else { fatalError("nio-ceiling: cannot read \(path)") }
    return ByteBuffer(bytes: data)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fatalError("usage: nio-ceiling BODY_FILE [GZIP_FILE]") }
let plain = readFile(arguments[1])
let gzipped = arguments.count > 2 ? readFile(arguments[2]) : nil

final class FixedAnswer: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let plain: ByteBuffer
    let gzipped: ByteBuffer?

    init(plain: ByteBuffer, gzipped: ByteBuffer?) {
        self.plain = plain
        self.gzipped = gzipped
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else { return }
        let gzip = gzipped != nil && request.headers[canonicalForm: "accept-encoding"].contains { $0.contains("gzip") }
        let body = gzip ? gzipped! : plain
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        if gzip { headers.add(name: "Content-Encoding", value: "gzip") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
let channel = try ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 256)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
            try channel.pipeline.syncOperations.addHandler(FixedAnswer(plain: plain, gzipped: gzipped))
        }
    }
    .bind(host: "127.0.0.1", port: 0)
    .wait()
// Written at once: the benchmark reads the port from a pipe while the server runs.
FileHandle.standardOutput.write(Data("listening address=127.0.0.1:\(channel.localAddress!.port!)\n".utf8))
try channel.closeFuture.wait()
