import CBuildInfo
import CCurl

/// What was built: the `databrain_exporter_build_info` labels and `--version`.
public enum BuildInfo {
    /// The release version.
    public static let version = "0.1.0"

    /// The git revision, injected by release builds (`DATABRAIN_REVISION` at build time), else "unknown".
    public static var revision: String { String(cString: dbx_build_revision()) }

    /// The Swift language version of the compiler that built this binary.
    public static var swiftVersion: String {
        #if compiler(>=6.4)
        return "6.4+"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    /// The libcurl actually linked at run time.
    public static var libcurlVersion: String { CurlGlobal.version }

    /// `databrain_exporter/0.1.0`, sent to the API.
    public static var userAgent: String { "databrain_exporter/\(version)" }

    /// One line for `--version`.
    public static var versionLine: String {
        "databrain_exporter \(version) (revision \(revision), swift \(swiftVersion), libcurl \(libcurlVersion))"
    }
}
