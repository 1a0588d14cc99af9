/// What the landing page says about one collector of a target.
public struct CollectorStatus: Sendable, Equatable {
    /// The collector.
    public var name: CollectorName
    /// Whether its last run fetched its list completely (nil before its first run).
    public var up: Bool?
    /// How many objects its last good list had (nil before its first success).
    public var count: Int?

    /// A collector that has not run yet.
    public init(name: CollectorName, up: Bool? = nil, count: Int? = nil) {
        self.name = name
        self.up = up
        self.count = count
    }
}
