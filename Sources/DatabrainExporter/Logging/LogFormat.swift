/// `--log.format`: how log lines are written to stderr.
public enum LogFormat: String, CaseIterable, Sendable {
    /// `ts=... level=info msg="..." key=value`, as Prometheus' own components write.
    case logfmt
    /// One JSON object per line, for log pipelines.
    case json
}
