import FoundationEssentials

/// How much longer a wait may take under a sanitizer (scripts/test --sanitize sets
/// DATABRAIN_SANITIZER): ThreadSanitizer runs code several times slower, so a deadline that is
/// generous in the plain build is not under it. Only waits stretch; no test asserts a duration.
enum SanitizerSlowdown {
    static let factor = ProcessInfo.processInfo.environment["DATABRAIN_SANITIZER"] == nil ? 1 : 5
}
