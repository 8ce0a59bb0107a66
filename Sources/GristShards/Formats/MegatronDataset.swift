import GristCore

/// Megatron-LM's memory-mapped indexed dataset (`megatron/core/datasets/indexed_dataset.py`): a
/// `PREFIX.bin` of headerless little-endian tokens and a `PREFIX.idx` that says where each sequence is
/// (docs/formats.md):
///
///     9 bytes   "MMIDIDX\0\0"
///     uint64    version, 1
///     uint8     dtype code (Megatron's DType: uint8 1, int8 2, int16 3, int32 4, int64 5,
///               float64 6, float32 7, uint16 8)
///     uint64    sequence count N
///     uint64    document count D (entries of the document index, N + 1 here)
///     int32 × N sequence lengths (tokens)
///     int64 × N sequence pointers (byte offsets into PREFIX.bin)
///     int64 × D document indices (where each document's sequences start; the last is N)
///
/// Grist writes one sequence per document: its tokens followed by the end-of-text separator, as
/// Megatron's `preprocess_data.py --append-eod` does, so the document indices are [0, 1, …, N].
public enum MegatronDataset {
    public static let magic: [UInt8] = Array("MMIDIDX".utf8) + [0, 0]
    public static let version: UInt64 = 1

    /// The token types Grist writes, with Megatron's DType codes.
    public enum DType: UInt8, Sendable, Equatable {
        case int32 = 4
        case uint16 = 8

        public var byteCount: Int { self == .uint16 ? 2 : 4 }
        public var name: String { self == .uint16 ? "uint16" : "int32" }

        /// Megatron's `DType.optimal_dtype`: uint16 below 65,500 ids, else int32.
        public static func forVocabulary(size: Int) -> DType { size < 65_500 ? .uint16 : .int32 }
    }

    /// The `.idx` bytes for sequences of `lengths` tokens of `dtype`, one document each.
    public static func indexBytes(lengths: [Int32], dtype: DType) -> [UInt8] {
        var out = magic
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) } }
        put(version)
        put(dtype.rawValue)
        put(UInt64(lengths.count))
        put(UInt64(lengths.count + 1))
        out.reserveCapacity(out.count + lengths.count * 20 + 8)
        for length in lengths { put(length) }
        var pointer: Int64 = 0
        for length in lengths {
            put(pointer)
            pointer += Int64(length) * Int64(dtype.byteCount)
        }
        for index in 0...lengths.count { put(Int64(index)) }
        return out
    }

    /// `PREFIX.bin` and `PREFIX.idx` for a prefix.
    public static func paths(prefix: String) -> (bin: String, idx: String) { (prefix + ".bin", prefix + ".idx") }

    /// Writes one Megatron dataset: documents are appended one by one; `finish` writes the index.
    public final class Writer {
        public let prefix: String
        public let dtype: DType
        private let bin: RawTokenWriter
        private var lengths: [Int32] = []
        private var open = false

        public init(prefix: String, dtype: DType) throws {
            self.prefix = prefix
            self.dtype = dtype
            bin = try RawTokenWriter(path: MegatronDataset.paths(prefix: prefix).bin, tokenBytes: dtype.byteCount)
        }

        /// Starts a document (a sequence); its tokens follow with `append`.
        public func beginDocument() {
            lengths.append(0)
            open = true
        }

        public func append(_ tokens: UnsafeBufferPointer<UInt32>) throws {
            precondition(open, "append before beginDocument")
            try bin.append(tokens)
            lengths[lengths.count - 1] += Int32(tokens.count)
        }

        public func append(_ token: UInt32) throws {
            try withUnsafePointer(to: token) { try append(UnsafeBufferPointer(start: $0, count: 1)) }
        }

        public var documentCount: Int { lengths.count }
        public var tokenCount: Int { bin.tokenCount }

        /// Finishes `.bin`, writes `.idx`; returns each file's path, SHA-256 and size.
        public func finish() throws -> (bin: (sha256: String, byteCount: Int), idx: (sha256: String, byteCount: Int)) {
            let binResult = try bin.finish()
            let bytes = MegatronDataset.indexBytes(lengths: lengths, dtype: dtype)
            let idxPath = MegatronDataset.paths(prefix: prefix).idx
            try AtomicFile.write(path: idxPath) { try $0.write(bytes) }
            let digest = bytes.withUnsafeBytes { SHA256.digest($0) }
            return (binResult, (hexString(digest), bytes.count))
        }
    }

    /// A Megatron dataset read back (for `grist inspect`): the index parsed and checked against the
    /// `.bin`'s size, the tokens through a memory map.
    public final class Reader: @unchecked Sendable {
        public let dtype: DType
        public let lengths: [Int32]
        public let pointers: [Int64]
        public let documentIndices: [Int64]
        private let bin: MappedFile

        /// `path` is the prefix, or either of its two files.
        public init(path: String) throws {
            var prefix = path
            if prefix.hasSuffix(".bin") || prefix.hasSuffix(".idx") { prefix.removeLast(4) }
            let (binPath, idxPath) = MegatronDataset.paths(prefix: prefix)
            let idx = try MappedFile(path: idxPath)
            bin = try MappedFile(path: binPath)
            let bytes = idx.bytes
            func fail(_ message: String) -> GristError {
                GristError(.badFormat, message, at: InputPosition(path: idxPath),
                           hint: "is this a Megatron-LM indexed dataset (.idx)?")
            }
            guard bytes.count >= 34, Array(bytes[0..<9]) == MegatronDataset.magic else {
                throw fail("not a Megatron index: it does not start with MMIDIDX\\0\\0")
            }
            func load<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
                T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
            }
            let version = load(9, UInt64.self)
            guard version == MegatronDataset.version else { throw fail("unsupported index version \(version), expected 1") }
            guard let dtype = DType(rawValue: load(17, UInt8.self)) else {
                throw fail("dtype code \(load(17, UInt8.self)) is not one Grist reads (uint16 8, int32 4)")
            }
            let sequences = Int(load(18, UInt64.self)), documents = Int(load(26, UInt64.self))
            let expected = 34 + 4 * sequences + 8 * sequences + 8 * documents
            guard sequences >= 0, documents >= 1, bytes.count >= expected else {
                throw fail("index says \(sequences) sequences and \(documents) document indices (\(expected) bytes) "
                           + "but has \(bytes.count) bytes")
            }
            self.dtype = dtype
            lengths = (0..<sequences).map { load(34 + 4 * $0, Int32.self) }
            pointers = (0..<sequences).map { load(34 + 4 * sequences + 8 * $0, Int64.self) }
            documentIndices = (0..<documents).map { load(34 + 12 * sequences + 8 * $0, Int64.self) }
            let tokenBytes = lengths.reduce(0) { $0 + Int($1) } * dtype.byteCount
            guard tokenBytes == bin.count else {
                throw GristError(.badFormat, "the index's sequences hold \(tokenBytes) bytes but \(binPath) has \(bin.count)",
                                 at: InputPosition(path: binPath), hint: "the .bin and .idx do not belong together")
            }
        }

        public var sequenceCount: Int { lengths.count }
        public var documentCount: Int { documentIndices.count - 1 }
        public var tokenCount: Int { bin.count / dtype.byteCount }

        /// The tokens of sequence `index`.
        public func sequence(_ index: Int) -> [UInt32] {
            let start = Int(pointers[index])
            return (0..<Int(lengths[index])).map { i in
                let offset = start + dtype.byteCount * i
                return dtype == .uint16
                    ? UInt32(UInt16(littleEndian: bin.bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
                    : UInt32(UInt32(littleEndian: bin.bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            }
        }
    }
}
