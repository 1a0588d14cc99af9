// swift-tools-version:6.0
import PackageDescription

// What --version and databrain_exporter_build_info say about the build: scripts/build-release
// sets these. Only letters, digits and `.-_:@/+` reach the C string literals (never a quote or a
// backslash), 64 characters at most; unset or emptied, "unknown".
func buildSetting(_ name: String) -> String {
    let kept = String((Context.environment[name] ?? "").filter { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_:@/+".contains($0)) }.prefix(64))
    return "\"\(kept.isEmpty ? "unknown" : kept)\""
}

// scripts/fuzz sets DATABRAIN_FUZZ=1: the product's own code (not its dependencies, which are not
// the parsers under test) is then built for libFuzzer with AddressSanitizer, and the fuzz driver
// calls libFuzzer. Without it nothing changes.
let fuzzing = Context.environment["DATABRAIN_FUZZ"] == "1"
let fuzzCompile: [SwiftSetting] = fuzzing ? [.unsafeFlags(["-sanitize=fuzzer,address"]), .define("FUZZING")] : []
let fuzzLink: [LinkerSetting] = fuzzing ? [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])] : []  // gold fails on ASan's symbols

// scripts/test --sanitize=thread --own-code sets DATABRAIN_SANITIZE=thread: this package's own
// modules (not its dependencies) are built with ThreadSanitizer in the default scratch path, reusing
// the plain build's dependencies, which is what CI can afford. `scripts/test --sanitize=thread`
// without --own-code instruments everything, in its own scratch path.
let ownCodeSanitizer = Context.environment["DATABRAIN_SANITIZE"] == "thread" && !fuzzing
let sanitizeCompile: [SwiftSetting] = ownCodeSanitizer ? [.unsafeFlags(["-sanitize=thread"])] : []
// On Locking, which every product links: the TSan runtime reaches each binary and test bundle.
let sanitizeLink: [LinkerSetting] = ownCodeSanitizer ? [.unsafeFlags(["-sanitize=thread"])] : []

// Linux only (libcurl through its C API, /proc, glibc's crypt_r, systemd sockets): no Apple
// platform is declared, because none is built or tested.
let package = Package(
    name: "databrain_exporter",
    products: [
        .executable(name: "databrain_exporter", targets: ["databrain_exporter"]),
        .executable(name: "databrain-sim", targets: ["DatabrainSimulator"]),
        .executable(name: "databrain-fuzz", targets: ["DatabrainFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // zlib over ByteBuffer: the gzipped exposition is compressed once per change, not per scrape.
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        // TLS for the exporter's own endpoint (--web.config.file) and the simulator's self-signed upstream.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // C functions returning the build's revision, branch, user and date, so a new build
        // recompiles one file.
        .target(
            name: "CBuildInfo",
            cSettings: ["DATABRAIN_REVISION", "DATABRAIN_BRANCH", "DATABRAIN_BUILD_USER", "DATABRAIN_BUILD_DATE"].map { .define($0, to: buildSetting($0)) }
        ),
        // Debian's libyaml, for --config.file and --web.config.file: a Swift YAML package would
        // import Foundation and so link ICU's data into the binary.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // libxcrypt's crypt_r, for the bcrypt hashes of --web.config.file's basic_auth_users.
        .systemLibrary(
            name: "CCrypt",
            providers: [.apt(["libcrypt-dev"])]
        ),
        // glibc's mallopt (AllocatorTuning): header only, part of libc.
        .systemLibrary(name: "CMalloc"),
        // The project's lock: Synchronization's Mutex, announced to ThreadSanitizer (Locked.swift says why).
        .target(name: "Locking", swiftSettings: sanitizeCompile, linkerSettings: sanitizeLink),
        // Everything but the command line: HTTP client, API client, poller, metrics, server, config.
        .target(
            name: "DatabrainExporter",
            dependencies: [
                "CCurl",
                "CCrypt",
                "CMalloc",
                "CYAML",
                "CBuildInfo",
                "Locking",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: fuzzCompile + sanitizeCompile
        ),
        // The thin main: parses flags, builds the services, runs them.
        .executableTarget(
            name: "databrain_exporter",
            dependencies: [
                "DatabrainExporter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: sanitizeCompile
        ),
        // Databrain's API as its pages document it (paths, item shapes, error bodies, health,
        // rate-limit headers), encoded once: the simulator and the in-process ScriptedAPI both
        // serve from it. The exporter never imports it: it must read what servers send.
        .target(name: "DocumentedAPI", swiftSettings: sanitizeCompile),
        // A faithful fake of Databrain's datasource API with fault injection (tests, demo, benchmarks).
        .executableTarget(
            name: "DatabrainSimulator",
            dependencies: [
                "DocumentedAPI",
                "Locking",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: sanitizeCompile
        ),
        // Fuzz targets of every parser of untrusted bytes (scripts/fuzz builds it with libFuzzer and
        // AddressSanitizer in its own scratch path; the plain build replays the committed corpus).
        .executableTarget(
            name: "DatabrainFuzz",
            dependencies: [
                "DatabrainExporter",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: fuzzCompile,
            linkerSettings: fuzzLink
        ),
        .testTarget(
            name: "DatabrainExporterTests",
            dependencies: [
                "DatabrainExporter", "CCurl", "DocumentedAPI", "Locking",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: sanitizeCompile
        ),
        // Runs the real binaries (exporter, simulator, Prometheus, Alertmanager) as processes on
        // 127.0.0.1; SwiftNIO serves the webhook that stands in for a person's pager.
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "DocumentedAPI",
                "Locking",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Golden"],
            swiftSettings: sanitizeCompile
        ),
    ]
)
