#if canImport(Glibc)
import CMalloc
import Glibc
#endif

/// glibc's allocator, set for a process that keeps a few large buffers and replaces them.
///
/// The exposition is rendered into buffers of hundreds of KiB (one per shard of 32 targets) and
/// replaced after polls. glibc serves such a buffer with `mmap` at first, but after freeing one it
/// raises its mmap threshold to that size (up to 32 MiB) and its trim threshold to twice that, so
/// every later rendering comes from the heap and the freed ones stay resident. Fixed thresholds
/// (128 KiB, glibc's starting values) keep large buffers in their own mappings, returned to the
/// kernel when freed: 98 -> 91 MiB at 1,000 targets after scrapes (BENCHMARKS.md).
/// An operator's own `MALLOC_*_THRESHOLD_` or `GLIBC_TUNABLES` wins: nothing is set then.
public enum AllocatorTuning {
    static let threshold: Int32 = 128 * 1024

    /// Applies the thresholds unless the environment sets glibc's allocator; call first in main.
    public static func apply() {
        #if canImport(Glibc)
        for name in ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES"] where getenv(name) != nil { return }
        _ = mallopt(M_MMAP_THRESHOLD, threshold)
        _ = mallopt(M_TRIM_THRESHOLD, threshold)
        #endif
    }
}
