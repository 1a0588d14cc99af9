/// A target's transport with its origin's budget in front: every request waits for a slot of its
/// origin (and out any pause) before it is sent, and a 429, or a 503 with `Retry-After`, pauses
/// every target of the origin, not only the one that got it. A 503 without `Retry-After` is an
/// answer (`/health/ready` says "not ready" that way), not a limit. Every answer's rate-limit
/// headers reach the budget, which fits itself to what the server announces.
public struct BudgetedTransport: HTTPTransport {
    /// The transport requests go through once their slot comes.
    private let inner: any HTTPTransport
    private let budgets: OriginBudgets

    /// Puts `budgets` in front of `inner`.
    public init(_ inner: any HTTPTransport, budgets: OriginBudgets) {
        self.inner = inner
        self.budgets = budgets
    }

    /// Waits for the origin's budget, then performs the GET; a cancelled wait sends nothing. A
    /// pause that begins after the slot was granted still holds the request, up to the moment
    /// it would reach the wire (``HTTPRequest/mayStart``): it then waits for the pause and a new
    /// slot, and goes.
    public func get(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportFailure> {
        guard let budget = budgets.budget(for: request.url) else { return await inner.get(request) }
        var gated = request
        gated.mayStart = { !budget.isPaused() }
        while true {
            guard await budget.acquire() else {
                return .failure(TransportFailure(reason: .network, detail: "cancelled", duration: .zero))
            }
            let result = await inner.get(gated)
            switch result {
            case .failure(let failure) where failure.heldBack:
                continue  // nothing was sent: wait out the pause, then take a new slot
            case .failure:
                return result
            case .success(let response):
                budget.announced(RateLimitHeaders.parse(response))
                let retryAfter = RetryAfter.parse(response.header("Retry-After"))
                if BackoffRule.pausesTheOrigin(status: response.status, retryAfter: retryAfter) {
                    budget.limited(retryAfter: retryAfter)
                } else {
                    budget.answered()
                }
                return result
            }
        }
    }
}
