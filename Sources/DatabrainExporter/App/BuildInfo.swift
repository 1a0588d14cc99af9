import CBuildInfo
import CCurl

/// What was built: the `databrain_exporter_build_info` labels and `--version`.
public enum BuildInfo {
    /// The release version.
    public static let version = "0.1.0"

    /// The git revision, injected by release builds (`DATABRAIN_REVISION` at build time), else "unknown".
    public static var revision: String { String(cString: dbx_build_revision()) }
    /// The git branch (`DATABRAIN_BRANCH`), else "unknown".
    public static var branch: String { String(cString: dbx_build_branch()) }
    /// Who built it, `user@host` (`DATABRAIN_BUILD_USER`), else "unknown".
    public static var buildUser: String { String(cString: dbx_build_user()) }
    /// When, `YYYYMMDD-HH:MM:SS` in UTC: the commit's time, so a commit builds the same binary
    /// (`DATABRAIN_BUILD_DATE`), else "unknown".
    public static var buildDate: String { String(cString: dbx_build_date()) }

    /// `linux/amd64`, as Prometheus' binaries name their platform.
    public static var platform: String {
        #if arch(x86_64)
        return "linux/amd64"
        #elseif arch(arm64)
        return "linux/arm64"
        #else
        return "linux/unknown"
        #endif
    }

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

    /// `--version`, laid out as Prometheus' binaries print theirs.
    public static var versionLine: String {
        """
        databrain_exporter, version \(version) (branch: \(branch), revision: \(revision))
          build user:       \(buildUser)
          build date:       \(buildDate)
          swift version:    \(swiftVersion)
          libcurl version:  \(libcurlVersion)
          platform:         \(platform)
        """
    }
}
