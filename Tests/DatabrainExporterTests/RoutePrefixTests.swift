import Testing
@testable import DatabrainExporter

/// `--web.route-prefix` and `--web.external-url`, as Prometheus' own binaries read them.
@Suite struct RoutePrefixTests {
    @Test func theRoutePrefixDefaultsToTheExternalURLsPath() throws {
        #expect(try RoutePrefix.parse(routePrefix: nil, externalURL: nil) == .root)
        #expect(try RoutePrefix.parse(routePrefix: nil, externalURL: "https://proxy.example.com/databrain/") == RoutePrefix(routes: "/databrain", links: "/databrain"))
        #expect(try RoutePrefix.parse(routePrefix: nil, externalURL: "http://proxy:8080") == .root)
        #expect(try RoutePrefix.parse(routePrefix: "exporter", externalURL: nil) == RoutePrefix(routes: "/exporter", links: "/exporter"))
    }

    @Test func aProxyThatStripsItsPrefixKeepsRoutesAtTheRootAndLinksUnderIt() throws {
        #expect(try RoutePrefix.parse(routePrefix: "/", externalURL: "https://proxy.example.com/databrain") == RoutePrefix(routes: "", links: "/databrain"))
    }

    @Test func aBadExternalURLIsOneClearLine() {
        for bad in ["proxy.example.com/x", "ftp://proxy/x", "https:///x", "https://proxy/x?a=b"] {
            #expect(throws: ConfigError.self, "\(bad)") { try RoutePrefix.parse(routePrefix: nil, externalURL: bad) }
        }
    }

    /// Found by the route-prefix fuzz target: a path is bytes. A slash followed by a combining mark
    /// is one Swift Character, yet still a slash.
    @Test func aPrefixIsSplitAsBytes() throws {
        let prefix = try RoutePrefix.parse(routePrefix: "\u{31A}", externalURL: nil)
        #expect(Array(prefix.routes.utf8) == [UInt8(ascii: "/"), 0xCC, 0x9A])
        #expect(try RoutePrefix.parse(routePrefix: "a//\u{301}b/", externalURL: nil).routes == "/a/\u{301}b")
    }
}
