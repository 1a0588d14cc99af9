/// What express-rate-limit (the Express middleware Databrain's docs point to with "standard rate
/// limit headers") announces on every answer, in each form it can send, and its 429.
public struct RateLimitAnnouncement: Sendable, Equatable {
    /// `standardHeaders: "draft-6" | "draft-7" | "draft-8"`, `legacyHeaders: true`, or nothing.
    public enum Form: String, Sendable, CaseIterable {
        case draft6, draft7, draft8, legacy, none
    }

    public var limit: Int
    public var windowSeconds: Int
    public var remaining: Int
    /// Seconds until the window resets.
    public var resetSeconds: Int

    public init(limit: Int, windowSeconds: Int, remaining: Int, resetSeconds: Int) {
        self.limit = limit
        self.windowSeconds = windowSeconds
        self.remaining = remaining
        self.resetSeconds = resetSeconds
    }

    /// Databrain's documented default: 500 requests per client IP per 2 minutes, one spent.
    public static let documentedDefault = RateLimitAnnouncement(limit: 500, windowSeconds: 120, remaining: 499, resetSeconds: 120)

    /// The 429's plain-text body.
    public static let tooManyRequestsBody = "Too many requests, please try again later."

    /// The headers of `form`. Legacy `X-RateLimit-Reset` is a Unix time: `nowUnixSeconds` places it.
    public func headers(_ form: Form, nowUnixSeconds: Double) -> [(String, String)] {
        switch form {
        case .draft6:
            return [("RateLimit-Policy", "\(limit);w=\(windowSeconds)"), ("RateLimit-Limit", "\(limit)"),
                    ("RateLimit-Remaining", "\(remaining)"), ("RateLimit-Reset", "\(resetSeconds)")]
        case .draft7:
            return [("RateLimit-Policy", "\(limit);w=\(windowSeconds)"),
                    ("RateLimit", "limit=\(limit), remaining=\(remaining), reset=\(resetSeconds)")]
        case .draft8:
            return [("RateLimit-Policy", "\"\(limit)-in-\(windowSeconds)s\"; q=\(limit); w=\(windowSeconds); pk=:c2ltdWxhdG9y:"),
                    ("RateLimit", "\"\(limit)-in-\(windowSeconds)s\"; r=\(remaining); t=\(resetSeconds)")]
        case .legacy:
            let resetAt = Int((nowUnixSeconds + Double(resetSeconds)).rounded(.up))
            return [("X-RateLimit-Limit", "\(limit)"), ("X-RateLimit-Remaining", "\(remaining)"), ("X-RateLimit-Reset", "\(resetAt)")]
        case .none:
            return []
        }
    }
}
