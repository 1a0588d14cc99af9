import FoundationEssentials

/// What a server announces about its rate limit on an answer, in whichever form it sends.
///
/// Databrain's backend is Express with "standard rate limit headers", that is express-rate-limit,
/// which sends one of (on every answer, 429s included):
/// - draft 6: `RateLimit-Policy: 500;w=120`, `RateLimit-Limit: 500`, `RateLimit-Remaining: 499`,
///   `RateLimit-Reset: 118` (seconds until the window resets);
/// - draft 7: `RateLimit-Policy: 500;w=120` and `RateLimit: limit=500, remaining=499, reset=118`;
/// - draft 8 and later (structured fields): `RateLimit-Policy: "500-in-2min"; q=500; w=120` and
///   `RateLimit: "500-in-2min"; r=499; t=118`, possibly several policies, comma-separated;
/// - legacy: `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (a Unix time
///   in seconds, next to a `Date` header).
/// Where several policies are announced, the tightest one counts: the lowest rate for the budget,
/// the lowest remaining for the pause. Values that do not parse are left out, never guessed.
public struct RateLimitHeaders: Sendable, Equatable {
    /// Requests allowed per window.
    public var limit: Int?
    /// The window's length.
    public var window: Duration?
    /// Requests left in the current window.
    public var remaining: Int?
    /// Time until the current window resets.
    public var reset: Duration?

    /// Creates an announcement.
    public init(limit: Int? = nil, window: Duration? = nil, remaining: Int? = nil, reset: Duration? = nil) {
        self.limit = limit
        self.window = window
        self.remaining = remaining
        self.reset = reset
    }

    /// Whether the answer announced anything.
    public var isEmpty: Bool { limit == nil && window == nil && remaining == nil && reset == nil }

    /// The announced allowance in requests per minute, when both the limit and the window are known.
    public var perMinute: Double? {
        guard let limit, let window, window > .zero else { return nil }
        return Double(limit) * 60 / window.seconds
    }

    /// Reads the headers of one answer. `values(name)` gives every value of a header field
    /// (case-insensitive name), `now` is the time the answer arrived (for the legacy Unix reset).
    public static func parse(values: (String) -> [String], now: Date = Date()) -> RateLimitHeaders {
        var announced = RateLimitHeaders()
        // The policy (limit and window), drafts 6 to 8: "500;w=120" or "\"name\"; q=500; w=120".
        var tightest: (limit: Int, window: Duration, rate: Double)?
        for item in Self.items(values("RateLimit-Policy")) {
            let limit = item.parameters["q"].flatMap(Self.count) ?? item.value.flatMap(Self.count)
            guard let limit, let window = item.parameters["w"].flatMap(Self.seconds) else { continue }
            let rate = Double(limit) / window.seconds
            if tightest == nil || rate < tightest!.rate { tightest = (limit, window, rate) }
        }
        announced.limit = tightest?.limit
        announced.window = tightest?.window

        // The current window: draft 7's dictionary, or draft 8's items with r and t.
        let current = values("RateLimit")
        let draft7 = Self.dictionary(current)
        if let remaining = draft7["remaining"].flatMap(Int.init) {
            announced.remaining = remaining
            announced.reset = draft7["reset"].flatMap(Self.seconds)
            announced.limit = announced.limit ?? draft7["limit"].flatMap(Self.count)
        } else {
            for item in Self.items(current) {
                guard let remaining = item.parameters["r"].flatMap(Int.init) else { continue }
                if announced.remaining == nil || remaining < announced.remaining! {
                    announced.remaining = remaining
                    announced.reset = item.parameters["t"].flatMap(Self.seconds)
                }
            }
        }

        // Draft 6's separate fields.
        if announced.remaining == nil, let remaining = Self.first(values("RateLimit-Remaining")).flatMap(Int.init) {
            announced.remaining = remaining
            announced.reset = Self.first(values("RateLimit-Reset")).flatMap(Self.seconds)
        }
        announced.limit = announced.limit ?? Self.first(values("RateLimit-Limit")).flatMap(Self.count)

        // Legacy X-RateLimit-*: the reset is a Unix time (some servers send seconds instead: a
        // value smaller than a day is read as seconds).
        if announced.remaining == nil, let remaining = Self.first(values("X-RateLimit-Remaining")).flatMap(Int.init) {
            announced.remaining = remaining
            if let reset = Self.first(values("X-RateLimit-Reset")).flatMap(Double.init), reset >= 0 {
                let seconds = reset < 86_400 ? reset : reset - now.timeIntervalSince1970
                // Through the same bounds as every other reset: "180e0000060" is infinity, and
                // made a Duration it trapped (found by the rate-limit-headers fuzz target).
                announced.reset = Self.seconds(max(0, seconds))
            }
        }
        announced.limit = announced.limit ?? Self.first(values("X-RateLimit-Limit")).flatMap(Self.count)
        if let remaining = announced.remaining, remaining < 0 { announced.remaining = 0 }
        return announced
    }

    /// Reads the headers of `response`.
    public static func parse(_ response: HTTPResponse, now: Date = Date()) -> RateLimitHeaders {
        parse(values: { name in
            let wanted = name.lowercased()
            return response.headers.filter { $0.name.lowercased() == wanted }.map(\.value)
        }, now: now)
    }

    // MARK: - Field syntax (lenient: what express-rate-limit and its relatives send)

    /// One list member: `value; key=value; key=value` (the value may be a quoted string or absent).
    struct Item {
        var value: String?
        var parameters: [String: String]
    }

    /// Every list member of every field line, split on commas outside quotes.
    static func items(_ lines: [String]) -> [Item] {
        lines.flatMap { split($0, on: ",") }.compactMap { member in
            let parts = split(member, on: ";").map { $0.trimmingWhitespace() }
            guard let head = parts.first else { return nil }
            var item = Item(value: nil, parameters: [:])
            for (index, part) in parts.enumerated() where !part.isEmpty {
                if let equals = part.firstIndex(of: "=") {
                    let key = part[..<equals].trimmingWhitespace().lowercased()
                    item.parameters[key] = unquote(part[part.index(after: equals)...].trimmingWhitespace())
                } else if index == 0 {
                    item.value = unquote(head)
                }
            }
            return item
        }
    }

    /// Draft 7's `limit=500, remaining=499, reset=118`, keys lowercased.
    static func dictionary(_ lines: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for member in lines.flatMap({ split($0, on: ",") }) {
            guard let equals = member.firstIndex(of: "=") else { continue }
            let key = member[..<equals].trimmingWhitespace().lowercased()
            result[key] = unquote(member[member.index(after: equals)...].trimmingWhitespace())
        }
        return result
    }

    private static func first(_ values: [String]) -> String? {
        values.first.map { split($0, on: ",").first?.trimmingWhitespace() ?? $0 }
    }

    /// A limit: a non-negative integer. "-5" is left out, not clamped: a negative limit is no
    /// announcement at all, and read as one it made the budget's reserve negative (found by the
    /// rate-limit-headers fuzz target in CI).
    private static func count(_ text: String) -> Int? {
        Int(text.trimmingWhitespace()).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// A non-negative number of seconds (integer or decimal).
    private static func seconds(_ text: String) -> Duration? {
        Double(text.trimmingWhitespace()).flatMap(seconds)
    }

    /// Seconds as a Duration when finite, non-negative and under 31 years; nil otherwise.
    private static func seconds(_ value: Double) -> Duration? {
        guard value.isFinite, value >= 0, value < 1e9 else { return nil }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    private static func unquote(_ text: String) -> String {
        text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") ? String(text.dropFirst().dropLast()) : text
    }

    /// Splits on `separator` outside double quotes.
    private static func split(_ text: String, on separator: Character) -> [String] {
        var parts: [String] = [], current = "", quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == separator && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}
