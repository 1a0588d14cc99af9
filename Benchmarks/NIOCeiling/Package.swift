// swift-tools-version:6.0
// The ceiling for the exporter's /metrics throughput: the smallest SwiftNIO HTTP/1 server (NIO's
// own server pipeline, as the exporter configures it) answering one fixed body. Benchmarks/
// scrapes.py serves the exporter's exact bytes with it beside nginx, so the figures say how much
// of the gap to nginx is SwiftNIO's and how much the exporter's own. A separate package so the
// product's build and CI never compile it; it pins the swift-nio the exporter ships.
import PackageDescription

let package = Package(
    name: "nio-ceiling",
    dependencies: [.package(url: "https://github.com/apple/swift-nio", exact: "2.101.3")],
    targets: [
        .executableTarget(
            name: "nio-ceiling",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        )
    ]
)
