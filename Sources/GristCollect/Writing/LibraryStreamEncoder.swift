import GristCore

/// A compression library's stream in zlib's shape, which libbz2 shares: input and output pointers with
/// 32-bit counts, and one call that compresses what fits into the output. The C state must not move
/// (both libraries keep a pointer back to it), so a stream holds it allocated until `close`.
protocol LibraryStream {
    func setInput(_ start: UnsafeMutableRawPointer?, count: Int)
    /// Input bytes the library has not taken yet.
    var pendingInput: Int { get }
    /// One library call into `output` (ending the stream when `finish`): the bytes written, and whether
    /// the stream is complete.
    func compress(into output: UnsafeMutableRawBufferPointer, finish: Bool) throws -> (written: Int, ended: Bool)
    func close()
}

/// A ``StreamEncoder`` over a ``LibraryStream`` (gzip, bzip2): feeds the input at most 1 GiB a call and
/// hands each filled piece of its output buffer to `emit`.
final class LibraryStreamEncoder<Stream: LibraryStream>: StreamEncoder {
    private let stream: Stream
    private let output: UnsafeMutableRawBufferPointer

    init(_ stream: Stream) {
        self.stream = stream
        output = .allocate(byteCount: 1 << 17, alignment: 16)
    }

    deinit {
        stream.close()
        output.deallocate()
    }

    func encode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        var offset = 0
        while offset < input.count {
            let count = min(input.count - offset, 1 << 30)  // the libraries count input in 32 bits
            stream.setInput(UnsafeMutableRawPointer(mutating: base + offset), count: count)
            while stream.pendingInput > 0 { _ = try step(finish: false, emit: emit) }
            offset += count
        }
    }

    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        stream.setInput(nil, count: 0)
        while try !step(finish: true, emit: emit) {}
    }

    private func step(finish: Bool, emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        let (written, ended) = try stream.compress(into: output, finish: finish)
        if written > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<written])) }
        return ended
    }
}
