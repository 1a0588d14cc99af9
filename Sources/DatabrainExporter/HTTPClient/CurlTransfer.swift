import CCurl
import Locking

/// The body and headers of one transfer, written by libcurl's C callbacks.
///
/// libcurl calls back with an opaque pointer; the callbacks below turn it back into this object
/// (`Unmanaged`), so they capture nothing and can be `@convention(c)`. The ``CurlJob`` that owns
/// it keeps it alive while libcurl may call back.
final class CurlTransfer: Sendable {
    private struct State {
        var body: [UInt8] = []
        var headerLines: [String] = []
        var bodyCapExceeded = false
    }

    let maxBodyBytes: Int
    private let state = Locked(State())

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// Takes the collected body, headers and the cap flag.
    func take() -> (body: [UInt8], headers: [(name: String, value: String)], bodyCapExceeded: Bool) {
        state.withLock { state in
            let headers = state.headerLines.compactMap(Self.parseHeaderLine)
            return (state.body, headers, state.bodyCapExceeded)
        }
    }

    /// Appends body bytes; returns false (abort) past the cap so memory stays bounded.
    fileprivate func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        state.withLock { state in
            guard state.body.count + bytes.count <= maxBodyBytes else {
                state.bodyCapExceeded = true
                return false
            }
            state.body.append(contentsOf: bytes)
            return true
        }
    }

    fileprivate func appendHeaderLine(_ line: String) {
        state.withLock { state in
            // A new status line starts a new response (1xx interim responses come first).
            if line.hasPrefix("HTTP/") { state.headerLines.removeAll() }
            state.headerLines.append(line)
        }
    }

    private static func parseHeaderLine(_ line: String) -> (name: String, value: String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon].trimmingWhitespace()
        let value = line[line.index(after: colon)...].trimmingWhitespace()
        return (name, value)
    }
}

// MARK: - C callbacks

/// CURLOPT_WRITEFUNCTION: returning fewer bytes than given makes libcurl abort with CURLE_WRITE_ERROR.
let curlWriteCallback: curl_write_callback = { pointer, size, count, userData in
    guard let pointer, let userData else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    let accepted = transfer.appendBody(UnsafeRawBufferPointer(start: pointer, count: length))
    return accepted ? length : 0
}

/// CURLOPT_HEADERFUNCTION: one complete header line per call.
let curlHeaderCallback: curl_write_callback = { pointer, size, count, userData in
    guard let pointer, let userData else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
    transfer.appendHeaderLine(String(decoding: bytes, as: UTF8.self))
    return length
}
