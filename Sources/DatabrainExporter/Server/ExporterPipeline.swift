import NIOCore
import NIOHTTP1

/// The handlers of one accepted connection, in order: TLS (when the web config has it), NIO's
/// HTTP/1 server codec (pipelined requests answered in order, malformed ones answered 400), the
/// request-head deadline, and ``ExporterHTTPHandler``. The server builds every connection with it,
/// and so do the in-process tests, on a testing channel with a clock they move.
struct ExporterPipeline: Sendable {
    let routes: ExporterRoutes
    let web: WebConfigStore?
    let authenticator: BasicAuthenticator
    let readHeaderTimeout: Duration
    let idleTimeout: Duration

    /// Adds the handlers to `channel`'s pipeline; call on its event loop.
    func configure(_ channel: any Channel) throws {
        let sync = channel.pipeline.syncOperations
        // The web config is checked for every new connection, so certificates rotate; the
        // connection's first request reuses this check.
        let accepted = web?.current()
        if let tls = accepted?.tls { try sync.addHandlers(tls.makeHandlers()) }
        try sync.configureHTTPServerPipeline(withErrorHandling: true)
        try sync.addHandler(ConnectionTimeouts(readHeaderTimeout: readHeaderTimeout, idleTimeout: idleTimeout))
        try sync.addHandler(ExporterHTTPHandler(routes: routes, web: web, acceptedWith: accepted, authenticator: authenticator))
    }
}
