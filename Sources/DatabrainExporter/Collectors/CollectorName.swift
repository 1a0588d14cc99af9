// Collectors/ owns what a poll collects: one collector per file, each declaring its row of the
// registry (name, default, help, the series it emits, its settings, how to make it), and the
// registry table that lists them in run order. Flags, `collectors:` in --config.file, the
// metrics, the landing page and --config.check all read that table. Collectors hold no state,
// emit only against the handles they declared and never call anything but GET (never
// `/api/v2/data-app/api-tokens`, which answers with live data-app API keys).

/// A collector's name, as its flags (`--[no-]collector.NAME`), the `collectors:` key and the
/// `collector` label spell it. Each collector's file declares its own (`CollectorName.workspaces`);
/// only names in ``CollectorRegistry`` can be made from text, so a setting for a collector that
/// does not exist is refused rather than silently ignored.
public struct CollectorName: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// A collector's own declaration of its name.
    init(declaring rawValue: String) {
        self.rawValue = rawValue
    }

    /// The registered collector called `rawValue`, or nil.
    public init?(rawValue: String) {
        guard let definition = CollectorRegistry.all.first(where: { $0.name.rawValue == rawValue }) else { return nil }
        self = definition.name
    }

    public var description: String { rawValue }

    /// Every collector, in run order.
    public static var allCases: [CollectorName] { CollectorRegistry.all.map(\.name) }
    /// The collectors on unless turned off, in run order.
    public static var defaults: [CollectorName] { CollectorRegistry.all.filter(\.enabledByDefault).map(\.name) }
    /// The collector whose state is `databrain_up`: it cannot be turned off.
    public static var required: CollectorName { CollectorRegistry.required.name }

    /// Whether it runs unless turned off.
    public var enabledByDefault: Bool { definition.enabledByDefault }
    /// Whether it is the required collector (it cannot be turned off).
    public var isRequired: Bool { definition.required }
    /// The `--help` text of its flag.
    public var help: String { definition.help }
    /// The per-target settings it takes.
    public var settings: [CollectorSetting] { definition.settings }
    /// Requests a poll of it makes to the target's own origin at least.
    public var requestsToOrigin: Int { definition.requestsToOrigin }

    var definition: CollectorDefinition { CollectorRegistry.definition(of: self) }

    public static func < (lhs: CollectorName, rhs: CollectorName) -> Bool {
        CollectorRegistry.index(of: lhs) < CollectorRegistry.index(of: rhs)
    }
}
