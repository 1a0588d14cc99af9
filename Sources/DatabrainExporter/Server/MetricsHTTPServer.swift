// Server/ owns the exporter's own HTTP endpoint: SwiftNIO listeners, routes, TLS and basic
// auth from the web config, timeouts, the scrape limit, the landing page. It reads metrics and
// the status board; it never polls or changes them beyond its own handler counters.

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
    private let channels: [any Channel]
    private let logger: Logger
    /// The metrics route, for the "listening" line.
    private let metricsRoute: String

    /// The addresses actually bound (with the kernel's port when 0 was asked for), in flag order.
    public var boundAddresses: [String] {
        channels.map { channel in
            guard let address = channel.localAddress, let port = address.port else { return "?" }
            let host = address.ipAddress ?? "?"
            return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }

    private init(channels: [any Channel], logger: Logger, metricsRoute: String) {
        self.channels = channels
        self.logger = logger
        self.metricsRoute = metricsRoute
    }

    /// Binds every listener; throws a ``ConfigError`` that says what to do when one cannot be.
    /// `reload` serves `POST /-/reload`; `settings.configFile` is `--web.config.file`.
    public static func bind(
        listeners: Listeners, telemetryPath: String, settings: WebSettings, metrics: ExporterMetrics, board: TargetStatusBoard,
        reload: @escaping @Sendable (@escaping ConfigReloader.Reply) -> Void, group: any EventLoopGroup, threadPool: NIOThreadPool, logger: Logger
    ) async throws -> MetricsHTTPServer {
        let routes = ExporterRoutes(telemetryPath: telemetryPath, prefix: settings.routePrefix, metrics: metrics, board: board, reload: reload)
        let web = try settings.configFile.map { (path) throws(ConfigError) -> WebConfigStore in try WebConfigStore(path: path, logger: logger) }
        let pipeline = ExporterPipeline(routes: routes, web: web, authenticator: BasicAuthenticator(threadPool: threadPool),
                                        readHeaderTimeout: settings.readHeaderTimeout, idleTimeout: settings.idleTimeout)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try pipeline.configure(channel) }
            }
        var channels: [any Channel] = []
        do {
            switch listeners {
            case .addresses(let addresses):
                for address in addresses { channels.append(try await bind(bootstrap, to: address)) }
            case .systemdSockets:
                for descriptor in try SystemdSockets.inherited() {
                    do {
                        channels.append(try await bootstrap.withBoundSocket(descriptor).get())
                    } catch {
                        throw ConfigError("--web.systemd-socket: descriptor \(descriptor) is not a listening TCP socket: \(error)")
                    }
                }
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }
        return MetricsHTTPServer(channels: channels, logger: logger, metricsRoute: settings.routePrefix.routes + telemetryPath)
    }

    private static func bind(_ bootstrap: ServerBootstrap, to address: ListenAddress) async throws(ConfigError) -> any Channel {
        do {
            return try await bootstrap.bind(host: address.host, port: address.port).get()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ConfigError("cannot listen on \(address): the port is already in use; stop the other process or pick another --web.listen-address")
        } catch let error as IOError where error.errnoCode == EACCES {
            throw ConfigError("cannot listen on \(address): permission denied; use a port above 1023")
        } catch {
            throw ConfigError("cannot listen on \(address): \(error); check --web.listen-address")
        }
    }

    /// Loads `--web.config.file` exactly as ``bind(listeners:telemetryPath:settings:metrics:board:reload:group:threadPool:logger:)``
    /// does (certificates, key, client CAs, the TLS context), for `--config.check`.
    public static func checkWebConfig(path: String) throws(ConfigError) {
        _ = try WebConfigStore.load(path: path)
    }

    /// Serves until graceful shutdown, then closes the listening sockets. Says "listening" only
    /// now, once the service group traps SIGTERM: a stop sent after that line is always graceful
    /// (sent earlier, between binding and the group's start, it would end the process by signal).
    public func run() async throws {
        for address in boundAddresses {
            logger.info("listening", metadata: ["address": "\(address)", "telemetry_path": "\(metricsRoute)", "version": "\(BuildInfo.version)"])
        }
        try? await gracefulShutdown()
        for channel in channels { try? await channel.close() }
    }
}
