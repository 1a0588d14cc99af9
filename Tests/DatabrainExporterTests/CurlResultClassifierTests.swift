import CCurl
import Testing
@testable import DatabrainExporter

@Suite struct CurlResultClassifierTests {
    @Test func libcurlCodesMapOntoTheDocumentedReasons() {
        let expected: [(CURLcode, RequestFailureReason?)] = [
            (CURLE_OK, nil),
            (CURLE_OPERATION_TIMEDOUT, .timeout),
            (CURLE_COULDNT_RESOLVE_HOST, .dns),
            (CURLE_COULDNT_CONNECT, .connect),
            (CURLE_SSL_CONNECT_ERROR, .tls),
            (CURLE_PEER_FAILED_VERIFICATION, .tls),
            (CURLE_FILESIZE_EXCEEDED, .tooLarge),
            (CURLE_TOO_MANY_REDIRECTS, .redirect),
            (CURLE_RECV_ERROR, .network),
            (CURLE_GOT_NOTHING, .network),
            (CURLE_PARTIAL_FILE, .network),
        ]
        for (code, reason) in expected {
            #expect(CurlResultClassifier.reason(for: code, bodyCapExceeded: false) == reason, "\(code)")
        }
    }

    @Test func aWriteErrorIsTooLargeOnlyWhenOurCapCausedIt() {
        #expect(CurlResultClassifier.reason(for: CURLE_WRITE_ERROR, bodyCapExceeded: true) == .tooLarge)
        #expect(CurlResultClassifier.reason(for: CURLE_WRITE_ERROR, bodyCapExceeded: false) == .network)
    }
}
