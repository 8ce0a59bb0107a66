/// Training examples in fastText's input format, in memory: one example per line, its labels then its
/// text (`__label__hq the text …`). fastText reads its training file exactly so; the trainer reads these
/// bytes the same way, and ``bytes`` written to a file train fastText itself on the same examples.
public struct FastTextCorpus: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var examples = 0

    public init() {}

    /// A fastText training file's contents, read as is (a last line without a newline gets one).
    public init(fileContents: [UInt8]) {
        bytes = fileContents
        if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
        examples = bytes.lazy.filter { $0 == 0x0A }.count
    }

    /// Appends one example: the label tokens (whole, prefix included), then the text with each newline
    /// made a space, so the document is one line, as datatrove's `text.replace("\n", " ")` makes it
    /// before fastText's predict (and as ``FastTextModel/predict(_:k:threshold:reading:scratch:)``
    /// reads it by default).
    public mutating func append(labels: [String], text: some Collection<UInt8>) {
        for label in labels {
            bytes.append(contentsOf: label.utf8)
            bytes.append(0x20)
        }
        let start = bytes.count
        bytes.append(contentsOf: text)
        for i in start..<bytes.count where bytes[i] == 0x0A { bytes[i] = 0x20 }
        bytes.append(0x0A)
        examples += 1
    }
}
