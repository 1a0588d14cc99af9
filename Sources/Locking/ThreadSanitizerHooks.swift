#if canImport(Glibc)
import Glibc
#endif

/// ThreadSanitizer's annotation calls, found at run time: present only when the process carries
/// the TSan runtime (a `--sanitize=thread` build), so the shipped binary pays one nil check.
///
/// Looked up with `dlsym` as the Swift runtime looks up the same two functions for its task
/// hand-offs; a weak symbol would need linker flags the default build does not have.
public enum ThreadSanitizerHooks {
    private typealias Hook = @convention(c) (UnsafeRawPointer?) -> Void

    private static let hooks: (acquire: Hook, release: Hook)? = {
        guard let acquire = dlsym(nil, "__tsan_acquire"), let release = dlsym(nil, "__tsan_release") else { return nil }
        return (unsafeBitCast(acquire, to: Hook.self), unsafeBitCast(release, to: Hook.self))
    }()

    /// Whether this process runs under ThreadSanitizer, so the annotations reach it.
    public static var isActive: Bool { hooks != nil }

    /// Tells TSan that what was released on `object` happens before what follows.
    @inline(__always)
    static func acquire(_ object: AnyObject) {
        hooks?.acquire(UnsafeRawPointer(Unmanaged.passUnretained(object).toOpaque()))
    }

    /// Tells TSan that what came before happens before the next acquire on `object`.
    @inline(__always)
    static func release(_ object: AnyObject) {
        hooks?.release(UnsafeRawPointer(Unmanaged.passUnretained(object).toOpaque()))
    }
}
