/// Polls `condition` every few milliseconds until it holds; throws after `timeout`. For states
/// another thread reaches (never a fixed sleep).
func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout * SanitizerSlowdown.factor
    while !condition() {
        guard ContinuousClock.now < deadline else { throw FixtureError("timed out after \(timeout) waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(2))
    }
}

