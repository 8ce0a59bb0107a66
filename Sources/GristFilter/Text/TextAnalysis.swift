import GristCore

/// A document's text as the quality filters read it: its code points and datatrove's words, computed
/// once and shared by the filters of a chain while the text is unchanged (`Document.analysis`).
///
/// `@unchecked Sendable`: the lazily computed words are mutable state, but a document (and the
/// analysis it carries) is handled by one task at a time.
final class TextAnalysis: DocumentAnalysis, @unchecked Sendable {
    /// The UTF-8 text this analysis is of.
    let utf8: [UInt8]
    let text: ScalarText
    private var cachedWords: [SpacyToken]?

    private init(_ utf8: [UInt8]) {
        self.utf8 = utf8
        text = ScalarText(utf8: utf8)
    }

    /// datatrove's `split_into_words` of the text (spaCy's tokens without whitespace tokens).
    var words: [SpacyToken] {
        if let cachedWords { return cachedWords }
        let words = text.scalars.withUnsafeBufferPointer { Words.words($0) }
        cachedWords = words
        return words
    }

    /// The analysis of the document's current text: the one it carries when that is still of its text
    /// (the same array storage compares at once), else a new one, which the document then carries.
    static func of(_ document: inout Document) -> TextAnalysis {
        if let analysis = document.analysis as? TextAnalysis, analysis.utf8 == document.text { return analysis }
        let analysis = TextAnalysis(document.text)
        document.analysis = analysis
        return analysis
    }
}
