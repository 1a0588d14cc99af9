import Foundation

/// Files of this repository that tests read (the README's contract, the shipped rules and dashboard).
enum RepositoryFiles {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    static func text(_ relativePath: String) throws -> String { try String(contentsOf: url(relativePath), encoding: .utf8) }
}
