// Support/ holds small extensions of standard types that several folders use (trimming,
// duration units). Nothing here knows about Databrain, HTTP or metrics; anything that does
// belongs in its folder.

extension StringProtocol {
    /// The text without leading and trailing whitespace (spaces, tabs, CR, LF: `Character.isWhitespace`).
    ///
    /// Compares whole Characters, so a lone "\n" and the "\r\n" grapheme are both trimmed.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }

    /// The text without trailing slashes: a base URL or path prefix ready for `+ "/path"`.
    func trimmingTrailingSlashes() -> String {
        var text = String(self)
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
