import Dispatch
import Testing
@testable import DatabrainExporter

/// A poll's continuation is resumed exactly once, whether the transfer or the cancellation
/// comes first, and even when cancellation arrives before the continuation exists.
@Suite struct CompletionOnceTests {
    @Test func theFirstValueWinsAndLaterOnesAreIgnored() async {
        let once = CompletionOnce<Int>()
        let value = await withCheckedContinuation { continuation in
            once.install(continuation)
            once.resume(with: 1)
            once.resume(with: 2)  // the transfer finishing after a cancellation
        }
        #expect(value == 1)
    }

    @Test func aValueBeforeTheContinuationIsDeliveredOnInstall() async {
        let once = CompletionOnce<String>()
        once.resume(with: "cancelled early")
        once.resume(with: "late")
        let value = await withCheckedContinuation { continuation in once.install(continuation) }
        #expect(value == "cancelled early")
    }

    @Test func racingResumesFromManyThreadsResumeOnce() async {
        for _ in 0..<200 {
            let once = CompletionOnce<Int>()
            let value = await withCheckedContinuation { continuation in
                DispatchQueue.concurrentPerform(iterations: 8) { index in
                    if index == 3 { once.install(continuation) } else { once.resume(with: index) }
                }
            }
            #expect(value != 3)
        }
    }
}
