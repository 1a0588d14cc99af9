import ArgumentParser
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// `databrain-sim`: a fake Databrain API for tests, the demo and benchmarks. Loopback only.
@main
struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "databrain-sim",
        abstract: "Serves a simulated Databrain datasource API with fault injection (see ControlAPI.swift).")

    @Option(help: "host:port to listen on; port 0 picks a free port (printed on stdout).")
    var listen = "127.0.0.1:0"

    @Option(help: "The service token the API accepts.")
    var token = "sim-token"

    @Option(help: "Read the token from this file instead (how the compose demo shares it with the exporter).")
    var tokenFile: String?

    @Option(help: "Start with datasource-1 … datasource-N.")
    var datasources = 3

    @Option(help: "Start with these names instead (comma-separated).")
    var names: String?

    @Option(help: "Serve HTTPS with this PEM certificate (with --tls-key-file), e.g. a self-signed one.")
    var tlsCertFile: String?

    @Option(help: "The PEM private key of --tls-cert-file.")
    var tlsKeyFile: String?

    @Option(help: "Serve /health/live and /health/ready under this prefix (e.g. /api), as a backend mounted under a prefix.")
    var healthPathPrefix = ""

    @Flag(help: "Change the datasources every few seconds (for the demo).")
    var demo = false

    @Option(help: "Seconds between demo changes.")
    var demoPeriod = 10

    @Option(help: "Per client IP, every endpoint: at most this many requests per --rate-limit-window, then 429 (0: no limit).")
    var rateLimit = 0

    @Option(help: "The fixed window of --rate-limit, in seconds (express-rate-limit's windowMs; Databrain documents 120).")
    var rateLimitWindow = 60

    @Option(help: "Seconds to send in Retry-After with a 429 (default: the seconds until the client's window resets, as express-rate-limit sends).")
    var rateLimitRetryAfter: Int?

    @Option(help: "Rate-limit headers on every answer: draft6 (express-rate-limit's standardHeaders: true), draft7, draft8, legacy (X-RateLimit-*) or none.")
    var rateLimitHeaders = "draft6"

    func run() async throws {
        let initial = names.map { $0.split(separator: ",").map(String.init) } ?? ControlAPI.generatedNames(datasources)
        let state = SimulatorState(datasources: initial, token: try acceptedToken())
        let health = HealthAPI(prefix: healthPathPrefix)
        guard let headers = ClientRateLimit.Headers(rawValue: rateLimitHeaders) else {
            throw ValidationError("--rate-limit-headers takes draft6, draft7, draft8, legacy or none")
        }
        let rateLimit = ClientRateLimit(self.rateLimit > 0
            ? .init(limit: self.rateLimit, window: .seconds(rateLimitWindow), retryAfter: rateLimitRetryAfter, headers: headers) : nil)
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            throw ValidationError("invalid --listen \(listen): use host:port")
        }
        let host = String(listen[..<colon])
        let tls = try tlsContext()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(SimulatorHTTPHandler(state: state, health: health, rateLimit: rateLimit))
                }
            }
            .bind(host: host, port: port).get()
        say("databrain-sim listening on \(tls == nil ? "http" : "https")://\(host):\(channel.localAddress?.port ?? port)")
        if demo {
            Task { await DemoScript(state: state, period: .seconds(demoPeriod)).run() }
        }
        try await channel.closeFuture.get()
    }
}

extension SimulatorCommand {
    func tlsContext() throws -> NIOSSLContext? {
        guard let tlsCertFile else { return nil }
        guard let tlsKeyFile else { throw ValidationError("--tls-cert-file needs --tls-key-file") }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(tlsCertFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: tlsKeyFile, format: .pem)))
        return try NIOSSLContext(configuration: configuration)
    }

    /// `--token-file` wins over `--token`; surrounding whitespace (a trailing newline) is not part of it.
    func acceptedToken() throws -> String {
        guard let tokenFile else { return token }
        guard let contents = FileManager.default.contents(atPath: tokenFile) else {
            throw ValidationError("cannot read --token-file \(tokenFile)")
        }
        let fileToken = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !fileToken.isEmpty else { throw ValidationError("--token-file \(tokenFile) is empty") }
        return fileToken
    }
}

/// Makes the demo interesting: datasources come and go on a fixed cycle.
struct DemoScript {
    let state: SimulatorState
    let period: Duration

    func run() async {
        let extras = ["marketing-clickhouse", "finance-redshift", "ops-mysql"]
        var step = 0
        while true {
            try? await Task.sleep(for: period)
            step += 1
            var names = state.datasources
            let extra = extras[step % extras.count]
            if let index = names.firstIndex(of: extra) { names.remove(at: index) } else { names.append(extra) }
            state.setDatasources(names)
            say("demo: datasources now \(names.joined(separator: ", "))")
        }
    }
}

/// Prints a line to stdout at once (tests wait for the "listening" line).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
