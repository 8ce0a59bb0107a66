import GristCore

/// One compressed stream being written: bytes in, compressed bytes out through `emit`, which gets
/// each filled piece of the encoder's output buffer (valid only during the call).
///
/// Encoders run on the calling thread only (no library worker threads), so the same input gives the
/// same bytes whatever runs beside them.
protocol StreamEncoder: AnyObject {
    /// Compresses `input` (the library may keep some of it buffered until more comes or `finish`).
    func encode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Ends the stream: everything buffered, and the format's trailer.
    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws
}
