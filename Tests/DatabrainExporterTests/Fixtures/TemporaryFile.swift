import FoundationEssentials

/// Files the tests hand to the code under test (token files, web configs), each with a fresh name.
enum TemporaryFile {
    /// Writes `contents` to a new file in the temporary directory and returns its path.
    static func write(_ contents: String, name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
