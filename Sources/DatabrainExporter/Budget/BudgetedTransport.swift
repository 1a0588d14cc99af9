/// A target's transport with its origin's budget in front: every request waits for a slot of its
/// origin (and out any pause) before it is sent, and a 429, or a 503 with `Retry-After`, pauses
/// every target of the origin, not only the one that got it. A 503 without `Retry-After` is an
/// answer (`/health/ready` says "not ready" that way), not a limit. Every answer's rate-limit
/// headers reach the budget, which fits itself to what the server announces.
public struct BudgetedTransport: HTTPTransport {
    /// The transport requests go through once their slot comes.
    public let inner: any HTTPTransport
    private let budgets: OriginBudgets

    /// Puts `budgets` in front of `inner`.
    public init(_ inner: any HTTPTransport, budgets: OriginBudgets) {
        self.inner = inner
        self.budgets = budgets
    }

    /// Waits for the origin's budget, then performs the GET; a cancelled wait sends nothing.
    public func get(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportFailure> {
        let budget = budgets.budget(for: request.url)
        if let budget, !(await budget.acquire()) {
            return .failure(TransportFailure(reason: .network, detail: "cancelled", duration: .zero))
        }
        let result = await inner.get(request)
        if let budget, case .success(let response) = result {
            budget.announced(RateLimitHeaders.parse(response))
            let retryAfter = RetryAfter.parse(response.header("Retry-After"))
            if response.status == 429 || (response.status == 503 && retryAfter != nil) {
                budget.limited(retryAfter: retryAfter)
            } else {
                budget.answered()
            }
        }
        return result
    }
}
