import FoundationEssentials
import Glibc
import Testing
@testable import DatabrainExporter

/// What the tuning is for: once a large buffer was freed, the next large one still gets its own
/// mapping (returned to the kernel when freed) instead of heap that stays resident. Under a
/// sanitizer its allocator replaces glibc's, so there is nothing to observe.
@Suite(.disabled(if: ProcessInfo.processInfo.environment["DATABRAIN_SANITIZER"] != nil, "a sanitizer's allocator replaces glibc's"))
struct AllocatorTuningTests {
    @Test func aLargeBufferAfterAFreedOneIsStillMapped() throws {
        // The environment would win over the tuning; the test runs without it.
        try #require(getenv("GLIBC_TUNABLES") == nil && getenv("MALLOC_MMAP_THRESHOLD_") == nil)
        AllocatorTuning.apply()
        // Without fixed thresholds, freeing this raises glibc's mmap threshold to 30 MiB, and the
        // 16 MiB below would come from the heap.
        free(malloc(30 << 20))
        let buffer = try #require(malloc(16 << 20))
        defer { free(buffer) }
        // glibc marks a chunk it mapped on its own with IS_MMAPPED (0x2) in the size word before
        // it: asked of this chunk, not of the process's counters, which other tests' threads move.
        let sizeWord = UnsafeRawPointer(buffer).load(fromByteOffset: -MemoryLayout<UInt>.size, as: UInt.self)
        #expect(sizeWord & 0x2 != 0, "a 16 MiB buffer came from the heap, where a freed one stays resident")
    }
}
