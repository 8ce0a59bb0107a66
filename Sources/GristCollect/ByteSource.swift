import GristCore

/// Why a byte stream stopped before its proper end.
///
/// Readers yield every record decoded before it, then report it as one skipped record,
/// so a damaged download costs its tail, not the whole file.
struct StreamFailure: Sendable {
    /// `.skip(.truncated)` (the data stops before the end marker) or `.skip(.corrupt)` (undecodable data).
    var kind: GristError.Kind
    var message: String
    var hint: String?

    /// The compressed data stops inside `unit` (a gzip member, a zstd frame, a bzip2 stream).
    static func truncated(_ format: String, inside unit: String, at compressedOffset: Int) -> StreamFailure {
        StreamFailure(
            kind: .skip(.truncated),
            message: "\(format) stream is truncated: the file ends at compressed byte \(compressedOffset) "
                + "in the middle of \(unit)",
            hint: "the file was probably cut short while downloading or writing; records before this point were read")
    }

    /// The decoder cannot go on at `compressedOffset`; `reason` is its own words.
    static func corrupt(_ format: String, at compressedOffset: Int, near: Bool = false, reason: String) -> StreamFailure {
        StreamFailure(
            kind: .skip(.corrupt),
            message: "\(format) data is corrupt \(near ? "near" : "at") compressed byte \(compressedOffset): \(reason)",
            hint: "records before this point were read; the rest of the file cannot be decoded")
    }
}

/// The bytes of one input file, decompressed when needed, read front to back.
///
/// Sources are reference types: they own file descriptors and C decoder state.
protocol ByteSource: AnyObject {
    /// Copies the next bytes into `buffer` and returns how many; 0 only at the end of the stream.
    /// Throws only for I/O errors; a damaged stream ends early and sets `failure` instead.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(GristError) -> Int

    /// Set once the stream has ended early (truncated or corrupt); nil after a clean end.
    var failure: StreamFailure? { get }
}
