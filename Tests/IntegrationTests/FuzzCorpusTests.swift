import Foundation
import Testing

/// The committed fuzz corpus, seeds and past reproducers alike, replayed through the plain build
/// of `databrain-fuzz` on every test run: a fixed crash that comes back fails here, on a machine
/// without libFuzzer. `scripts/fuzz` explores further under AddressSanitizer.
@Suite struct FuzzCorpusTests {
    private static let corpus = RepositoryFiles.url("Tests/Fuzz/Corpus")

    private static func targets() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
    }

    @Test func everyTargetHasACorpusAndEveryCorpusATarget() async throws {
        let listed = try await run([:], arguments: ["--list"]).stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(listed.count >= 12)
        #expect(listed.sorted() == (try Self.targets()))
    }

    @Test func everyCommittedInputSurvivesItsTarget() async throws {
        for target in try Self.targets() {
            let directory = Self.corpus.appendingPathComponent(target)
            let inputs = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map { directory.appendingPathComponent($0).path }
            #expect(!inputs.isEmpty, "\(target) has no seed")
            let result = try await run(["FUZZ_TARGET": target], arguments: inputs)
            #expect(result.status == 0, "\(target): \(result.stderr.suffix(600))")
        }
    }

    private func run(_ environment: [String: String], arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let process = try ManagedProcess(name: "fuzz", executable: BuildProducts.directory + "/databrain-fuzz", arguments: arguments,
                                         environment: environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }, asServiceUser: false)
        let status = try await process.waitForExit()
        return (status, process.stdout, process.stderr)
    }
}
