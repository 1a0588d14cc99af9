import Logging

extension Logger {
    /// A logger that writes nothing: the default where a caller (a test, `--once`) has no log to
    /// give, so types that log keep one non-optional logger.
    public static let silent = Logger(label: "databrain_exporter") { _ in SwiftLogNoOpLogHandler() }
}
