import GristCore

/// How a file is compressed: named by its extension, checked against its first bytes when read
/// (`openSource`); a written file gets the compression its name says (`CompressedFileWriter`).
public enum Compression: Equatable, Sendable {
    case none, gzip, zstd, bzip2

    /// From the file name: `.gz`/`.gzip` is gzip, `.zst`/`.zstd` is zstd, `.bz2` is bzip2, anything
    /// else is plain.
    public init(path: String) {
        let name = path.lowercased()
        if name.hasSuffix(".gz") || name.hasSuffix(".gzip") {
            self = .gzip
        } else if name.hasSuffix(".zst") || name.hasSuffix(".zstd") {
            self = .zstd
        } else if name.hasSuffix(".bz2") {
            self = .bzip2
        } else {
            self = .none
        }
    }

    /// The compression the first bytes of a file show, if any. Unless `complete`, a file shorter
    /// than a magic number matches its prefix, so a compressed file cut after one byte reads as truncated.
    static func sniff(_ head: [UInt8], complete: Bool = false) -> Compression? {
        if head.isEmpty { return nil }
        if matches(head, [0x1F, 0x8B], complete: complete) { return .gzip }
        if matches(head, [0x28, 0xB5, 0x2F, 0xFD], complete: complete) { return .zstd }
        if matches(head, [0x42, 0x5A, 0x68], complete: complete) {  // "BZh" and a block size digit
            if head.count < 4 || (0x31...0x39).contains(head[3]) { return .bzip2 }
        }
        // Skippable zstd frames: 0x184D2A50...0x184D2A5F, little-endian.
        if head[0] & 0xF0 == 0x50, matches([0x50] + head.dropFirst(), [0x50, 0x2A, 0x4D, 0x18], complete: complete) {
            return .zstd
        }
        return nil
    }

    private static func matches(_ head: [UInt8], _ magic: [UInt8], complete: Bool) -> Bool {
        if complete, head.count < magic.count { return false }
        let n = min(head.count, magic.count)
        return head.prefix(n).elementsEqual(magic.prefix(n))
    }

    private var label: String {
        switch self {
        case .none: "plain"
        case .gzip: "gzip"
        case .zstd: "zstd"
        case .bzip2: "bzip2"
        }
    }

    /// Opens `path` as a stream of decompressed bytes.
    ///
    /// Throws `.badFormat` when the name and the contents disagree: a `.gz` that is not gzip,
    /// a `.zst` that is not zstd, or a plain-named file that starts with a gzip/zstd magic number.
    /// (Both can never be valid UTF-8 text, so the check has no false alarms on text.)
    static func openSource(path: String, bufferSize: Int,
                           maxExpansionRatio: Double = .infinity) throws(GristError) -> any ByteSource {
        let file = try FileSource(path: path)
        let claimed = Compression(path: path)
        let head = try file.peek(4)
        let position = InputPosition(path: path, byteOffset: 0)
        let shown = head.map { hex($0) }.joined(separator: " ")
        switch claimed {
        case .none:
            // bzip2's magic ("BZh1"…"BZh9") is ASCII text: a plain file may start so, so it is not checked here.
            if let found = sniff(head, complete: true), found != .bzip2 {
                throw GristError(.badFormat, "file looks \(found.label)-compressed (starts with \(shown)) "
                                 + "but its name has no .gz/.zst/.bz2 extension",
                                 at: position, hint: "rename it with the right extension so it is decompressed")
            }
            return file
        case .gzip, .zstd, .bzip2:
            if !head.isEmpty, sniff(head) != claimed {
                let ext = path.split(separator: ".").last.map { "." + $0 } ?? ""
                throw GristError(.badFormat, "file name ends in \(ext) but the file is not \(claimed.label)-compressed "
                                 + "(starts with \(shown))",
                                 at: position, hint: "rename it, or recompress it with the tool its extension names")
            }
            switch claimed {
            case .gzip: return try GzipSource(file: file, inputBufferSize: bufferSize, maxExpansionRatio: maxExpansionRatio)
            case .zstd: return try ZstdSource(file: file, inputBufferSize: bufferSize, maxExpansionRatio: maxExpansionRatio)
            default: return try Bzip2Source(file: file, inputBufferSize: bufferSize, maxExpansionRatio: maxExpansionRatio)
            }
        }
    }
}

/// `0x7b` style text of a byte, for messages.
func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
}
