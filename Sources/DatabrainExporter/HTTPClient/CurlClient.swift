/// One target's HTTP client: its TLS settings over the process's shared ``CurlEngine``.
///
/// It owns no handle and no thread, so a thousand targets cost a thousand of these small values;
/// their transfers share the engine's connections, DNS cache and TLS sessions per origin.
public struct CurlClient: HTTPTransport {
    /// The engine every transfer goes through.
    public let engine: CurlEngine
    /// The target's TLS and identity settings.
    public let settings: CurlClientSettings

    /// Creates a client on `engine`.
    public init(engine: CurlEngine, settings: CurlClientSettings) {
        self.engine = engine
        self.settings = settings
    }

    /// Performs a GET through the engine; cancelling the task removes the transfer at once.
    public func get(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportFailure> {
        await engine.perform(request, settings: settings)
    }
}
