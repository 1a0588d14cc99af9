/// An item of the datasource or workspace list: `{"name":…}`, all either page documents.
public struct NamedItem: Encodable, Sendable, Equatable {
    public var name: String

    public init(_ name: String) { self.name = name }
}
