import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// The embedded HTTP server: `/metrics`, `/`, `/-/healthy`, `/-/ready`, `POST /-/reload`; HTTPS
/// and basic auth per `--web.config.file`.
///
/// It only reads what pollers left behind, so scrapes never wait for the API, and it runs on NIO's
/// event loops, separate from the threads that run libcurl.
public final class MetricsHTTPServer: Service, Sendable {
    private let channel: any Channel
    private let logger: Logger

    /// The address actually bound (with the kernel's port when 0 was asked for).
    public var boundAddress: String {
        guard let address = channel.localAddress, let port = address.port else { return "?" }
        let host = address.ipAddress ?? "?"
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private init(channel: any Channel, logger: Logger) {
        self.channel = channel
        self.logger = logger
    }

    /// Binds the listening socket; throws a ``ConfigError`` that says what to do when it cannot.
    /// `reload` serves `POST /-/reload`; `web` holds `--web.config.file` when one is given.
    public static func bind(
        address: ListenAddress, telemetryPath: String, settings: WebSettings, metrics: ExporterMetrics, board: TargetStatusBoard,
        reload: @escaping @Sendable () -> Result<Void, ConfigError>, group: any EventLoopGroup, threadPool: NIOThreadPool, logger: Logger
    ) async throws -> MetricsHTTPServer {
        let routes = ExporterRoutes(telemetryPath: telemetryPath, metrics: metrics, board: board, reload: reload)
        let web = try settings.configFile.map { (path) throws(ConfigError) -> WebConfigStore in try WebConfigStore(path: path, logger: logger) }
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    // The web config is checked for every new connection, so certificates rotate.
                    if let tls = web?.current().tls { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
                    try sync.configureHTTPServerPipeline(withErrorHandling: true)
                    try sync.addHandler(ConnectionTimeouts(readHeaderTimeout: settings.readHeaderTimeout, idleTimeout: settings.idleTimeout))
                    try sync.addHandler(ExporterHTTPHandler(routes: routes, web: web, threadPool: threadPool))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: address.host, port: address.port).get()
            return MetricsHTTPServer(channel: channel, logger: logger)
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ConfigError("cannot listen on \(address): the port is already in use; stop the other process or pick another --web.listen-address")
        } catch let error as IOError where error.errnoCode == EACCES {
            throw ConfigError("cannot listen on \(address): permission denied; use a port above 1023")
        } catch {
            throw ConfigError("cannot listen on \(address): \(error); check --web.listen-address")
        }
    }

    /// Serves until graceful shutdown, then closes the listening socket.
    public func run() async throws {
        try? await gracefulShutdown()
        try? await channel.close()
    }
}
