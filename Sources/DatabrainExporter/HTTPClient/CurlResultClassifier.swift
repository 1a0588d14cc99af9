import CCurl

/// Maps libcurl's result codes onto the exporter's failure reasons.
enum CurlResultClassifier {
    /// The failure reason for a transfer that ended with `code`, or nil for `CURLE_OK`.
    /// `bodyCapExceeded` distinguishes our own write-callback abort from a disk-style write error.
    static func reason(for code: CURLcode, bodyCapExceeded: Bool) -> RequestFailureReason? {
        switch code {
        case CURLE_OK:
            return nil
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .dns
        case CURLE_COULDNT_CONNECT:
            return .connect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CLIENTCERT:
            return .tls
        case CURLE_FILESIZE_EXCEEDED:
            return .tooLarge
        case CURLE_WRITE_ERROR where bodyCapExceeded:
            return .tooLarge
        case CURLE_TOO_MANY_REDIRECTS:
            return .redirect
        default:
            // Resets, empty replies, truncated bodies, bad content encoding, send errors.
            return .network
        }
    }

    /// libcurl's human-readable message for a result code.
    static func message(for code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}
