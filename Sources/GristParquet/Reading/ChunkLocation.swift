import GristCore

/// Where in a file a column chunk (and, once known, one of its pages) is: what every error of a
/// column read names. Row groups and pages count from 0, as `readColumn(rowGroup:column:)` does; the
/// dictionary page, when there is one, is page 0.
struct ChunkLocation {
    let path: String
    let rowGroup: Int
    let column: String
    /// The page being read, and the file offset of its header (the chunk's start before any page).
    var page: Int?
    var fileOffset: Int

    /// "row group 2, column \"text\", page 3: MESSAGE", at the page's (or chunk's) byte in the file.
    func error(_ kind: GristError.Kind, _ message: String, hint: String? = nil) -> GristError {
        var text = "row group \(rowGroup), column \"\(column)\""
        if let page { text += ", page \(page)" }
        return GristError(kind, text + ": " + message, at: InputPosition(path: path, byteOffset: fileOffset), hint: hint)
    }

    func error(_ failure: DecodeFailure) -> GristError {
        var hint: String?
        if failure.kind == .badFormat { hint = "rewrite the file with a supported codec and encoding (pyarrow's defaults read)" }
        return error(failure.kind, failure.message, hint: hint)
    }
}
