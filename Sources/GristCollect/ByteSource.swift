import GristCore

/// Why a byte stream stopped before its proper end.
///
/// Readers yield every record decoded before it, then report it as one skipped record,
/// so a damaged download costs its tail, not the whole file.
struct StreamFailure: Sendable {
    /// `.truncated` (the data stops before the end marker) or `.corrupt` (undecodable data).
    var kind: GristError.Kind
    var message: String
    var hint: String?
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
