import Foundation

/// Where `swift build` put the binaries under test: beside the test bundle that is running.
enum BuildProducts {
    static let directory: String = {
        if let override = ProcessInfo.processInfo.environment["DATABRAIN_BUILD_DIR"] { return override }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().path
    }()

    static var exporter: String { directory + "/databrain_exporter" }
    static var simulator: String { directory + "/databrain-sim" }

    /// A system tool (prometheus, promtool) or nil when it is not installed.
    static func systemTool(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
