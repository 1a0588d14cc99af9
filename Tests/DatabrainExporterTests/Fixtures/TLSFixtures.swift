import FoundationEssentials

/// Test-only TLS material (not secrets): a self-signed P-256 certificate for 127.0.0.1 and
/// fixture.example with its key, and a second key that belongs to no certificate. Made once with
/// `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256`, valid for 100 years.
enum TLSFixtures {
    static let certificate = """
-----BEGIN CERTIFICATE-----
MIIBnTCCAUOgAwIBAgIUdmM0Vko4kZjR2X5uVQEiM69QsmowCgYIKoZIzj0EAwIw
EjEQMA4GA1UEAwwHZml4dHVyZTAgFw0yNjExMzAyMTAzMDdaGA8yMTI2MTEwNjIx
MDMwN1owEjEQMA4GA1UEAwwHZml4dHVyZTBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABC66otdzg0XFR30/nSPgHku69f+QgjpXlMA16ycrUkyoEj4KavMug9gkEzeL
4TCAOa3XYGANR02DjzUmvxdjdcyjdTBzMB0GA1UdDgQWBBSFkIP4Zab7k04Clq1Q
iQc1tQ+VTzAfBgNVHSMEGDAWgBSFkIP4Zab7k04Clq1QiQc1tQ+VTzAPBgNVHRMB
Af8EBTADAQH/MCAGA1UdEQQZMBeCD2ZpeHR1cmUuZXhhbXBsZYcEfwAAATAKBggq
hkjOPQQDAgNIADBFAiAyPCKu0L2Lffj0U1Jmn8xzE+g4lCOFXuWKIOW/dAySEwIh
AKUsbByqAbesStV37kqoakn+cTcQaVzp69sCMMzzjySR
-----END CERTIFICATE-----
"""

    static let key = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgkGpAibIIOfVHeRdJ
EzRncX6T48V6W1Gm4j9ywVdqGiChRANCAAQuuqLXc4NFxUd9P50j4B5LuvX/kII6
V5TANesnK1JMqBI+CmrzLoPYJBM3i+EwgDmt12BgDUdNg481Jr8XY3XM
-----END PRIVATE KEY-----
"""

    static let otherKey = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgncd26fBYrvsNKM85
+dBe9ZJ2GlEwy7SWX8XhMad4b5yhRANCAARLei5bzL1rHIwZKdJLze6TLCE2fPaE
9icGYs0QXzbioDUtS6cAWh/lFu92gX+wfZ5a1XBIpjkiN2nIJ6u6diSc
-----END PRIVATE KEY-----
"""

    /// The certificate above in DER (its PEM body, decoded), which PEM-only fields cannot take.
    static var certificateDER: [UInt8] {
        let body = certificate.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Array(Data(base64Encoded: body) ?? Data())
    }
}
