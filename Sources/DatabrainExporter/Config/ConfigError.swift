/// A configuration problem, described in one line that says what is wrong and what to do.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The one-line message.
    public var message: String

    /// Creates an error with its one-line message.
    public init(_ message: String) { self.message = message }

    /// The message, so `"\(error)"` prints it as is.
    public var description: String { message }
}
