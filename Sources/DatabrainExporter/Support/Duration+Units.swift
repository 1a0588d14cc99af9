extension Duration {
    /// The duration in whole milliseconds, rounded down (libcurl's timeouts and Go-style formatting).
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// The duration in seconds as a Double (Prometheus' base unit).
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
