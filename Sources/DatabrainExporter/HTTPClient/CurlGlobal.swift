import CCurl

/// libcurl's process-wide state.
///
/// `curl_global_init` is not thread-safe and must run before any handle is created, so every
/// handle goes through ``ensureInitialized()``, which Swift runs exactly once (lazy global).
enum CurlGlobal {
    private static let initialized: Bool = dbx_global_init() == CURLE_OK

    /// Initialises libcurl once; later calls are free.
    static func ensureInitialized() {
        precondition(initialized, "curl_global_init failed")
    }

    /// The linked libcurl's version, for `databrain_exporter_build_info`.
    static var version: String {
        ensureInitialized()
        guard let info = dbx_version_info(), let version = info.pointee.version else { return "unknown" }
        return String(cString: version)
    }
}
