#if canImport(Glibc)
import Glibc
#endif

/// `databrain-fuzz --list` names the targets. Built by `scripts/fuzz` with
/// `-sanitize=fuzzer,address -D FUZZING`, it is a libFuzzer binary: `FUZZ_TARGET=NAME
/// databrain-fuzz [libFuzzer flags] [corpus or input files]`. Built plainly (as CI's default
/// build does), it runs the given inputs through a target once each, so the corpus and
/// every saved reproducer are also regression inputs without a sanitizer toolchain.
@main
enum FuzzMain {
    static let targets = APITargets.all + ConfigTargets.all + ServerTargets.all

    static func main() {
        let arguments = CommandLine.arguments
        if arguments.dropFirst().first == "--list" {
            for target in targets { print("\(target.name)\t\(target.source.rawValue)\t\(target.summary)") }
            return
        }
        guard let name = getenv("FUZZ_TARGET").map({ String(cString: $0) }), let target = targets.first(where: { $0.name == name }) else {
            complain("set FUZZ_TARGET to one of: \(targets.map(\.name).joined(separator: ", ")) (--list describes them)")
            exit(2)
        }
        selected = target
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
        #else
        for path in arguments.dropFirst() {
            guard let input = read(path) else {
                complain("cannot read \(path)")
                exit(2)
            }
            target.run(input)
        }
        #endif
    }

    private static func complain(_ message: String) {
        let line = Array("databrain-fuzz: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    private static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        return bytes
    }
}

/// The target libFuzzer runs; set once before the driver starts.
nonisolated(unsafe) var selected: FuzzTarget?

#if FUZZING
/// libFuzzer's entry for a program that has its own main.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// The input callback, under the name libFuzzer's runtime also links against.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selected?.run(input)
    return 0
}
#endif
