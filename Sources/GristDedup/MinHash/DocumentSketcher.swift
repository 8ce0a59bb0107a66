import GristCore

#if canImport(Glibc)
import Glibc
#endif

/// What deduplication needs to know about one document.
public struct DocumentSketch: Sendable {
    /// 128-bit hash of the normalized text (of the raw text when normalization leaves nothing).
    public var exactKey = ExactKey(high: 0, low: 0)
    /// The document's distinct shingles as 32-bit hashes (high half of each 64-bit shingle hash), sorted.
    public var shingles: [UInt32] = []
    /// One key per LSH band (a hash of the band's `rows` MinHash values); empty when there are no shingles.
    public var bandKeys: [UInt64] = []
    /// The MinHash signature (`bands × rows` values); empty when there are no shingles.
    public var signature: [UInt64] = []
    /// 128-bit hash of the (normalized) URL; nil when the document has none or URL dedup is off.
    public var urlKey: ExactKey?

    public init() {}
}

/// A 128-bit key of exact deduplication.
public struct ExactKey: Hashable, Comparable, Sendable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public static func < (a: Self, b: Self) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

/// Normalizes a document, hashes its word n-gram shingles, and computes its MinHash signature and
/// LSH band keys, as datatrove's `MinhashDedupSignature` does (stage 1), with a whitespace word split.
///
/// datatrove splits normalized English text into words with spaCy's tokenizer; on normalized text
/// (no punctuation left) that is a split at spaces except for a few spaCy exceptions (contractions
/// written without an apostrophe, such as "dont" → "do", "nt"). Shingles are the XXH64 of the n words
/// joined by single spaces; signature value k is the minimum over shingles of the k-th permutation
/// (``MinHashParameters``); band j is values j·rows ..< (j+1)·rows, as datatrove's `np.split`.
///
/// One sketcher per thread: it owns scratch buffers and the normalizer's cache.
public struct DocumentSketcher {
    public let ngram: Int
    public let bands: Int
    public let rows: Int
    public let parameters: MinHashParameters
    /// False for exact-only deduplication: only the exact key is computed.
    public let computesMinHash: Bool

    private var normalizer = TextNormalizer()
    private var normalized: [UInt8] = []
    private var compact: [UInt8] = []
    private var ring: [Int] = []
    private var hashes: [UInt64] = []
    private var scratch: [UInt32] = []
    private let urlNormalizer = URLNormalizer()
    private var url: [UInt8] = []

    public init(ngram: Int = 5, bands: Int = 14, rows: Int = 8, seed: UInt32 = 1, computesMinHash: Bool = true) {
        precondition(ngram >= 1 && bands >= 1 && rows >= 1)
        self.ngram = ngram
        self.bands = bands
        self.rows = rows
        self.computesMinHash = computesMinHash
        parameters = MinHashParameters(count: computesMinHash ? bands * rows : 0, seed: seed)
    }

    public init(config: MinHashConfig?) {
        if let config {
            self.init(ngram: config.ngram, bands: config.bands, rows: config.rows, seed: UInt32(config.seed))
        } else {
            self.init(computesMinHash: false)
        }
    }

    /// Fills `sketch` for the UTF-8 text `text`.
    public mutating func sketch(_ text: UnsafeRawBufferPointer, into sketch: inout DocumentSketch) {
        normalizer.normalize(text, into: &normalized)
        sketch.exactKey = normalized.isEmpty
            ? ExactKey(high: XXHash64.hash(text, seed: 0x5241_5721), low: XXHash64.hash(text, seed: 0x5241_5722))
            : normalized.withUnsafeBytes {
                ExactKey(high: XXHash64.hash($0, seed: 0), low: XXHash64.hash($0, seed: 0x9E37_79B9_7F4A_7C15))
            }
        sketch.shingles.removeAll(keepingCapacity: true)
        sketch.bandKeys.removeAll(keepingCapacity: true)
        sketch.signature.removeAll(keepingCapacity: true)
        guard computesMinHash else { return }
        shingleHashes()
        guard !hashes.isEmpty else { return }
        // The shingle set for verification: distinct high halves, sorted. (MinHash takes the minimum, so
        // it runs on the hashes as they are, repeats and all.)
        sketch.shingles.reserveCapacity(hashes.count)
        for h in hashes { sketch.shingles.append(UInt32(truncatingIfNeeded: h >> 32)) }
        RadixSort.sort(&sketch.shingles, scratch: &scratch)
        var unique = 0
        sketch.shingles.withUnsafeMutableBufferPointer { set in
            for i in 0..<set.count where i == 0 || set[i] != set[unique - 1] {
                set[unique] = set[i]
                unique += 1
            }
        }
        sketch.shingles.removeLast(sketch.shingles.count - unique)
        minHash(into: &sketch.signature)
        for band in 0..<bands {
            var key = SplitMix64.mix(0x4C53_4842_414E_4453 &+ UInt64(band))
            for row in 0..<rows { key = SplitMix64.mix(key ^ sketch.signature[band * rows + row]) }
            sketch.bandKeys.append(key)
        }
    }

    /// Sets `sketch.urlKey` for the document's URL (nil, empty, or nothing left after normalizing: none).
    /// - Parameter normalize: compare normalized URLs (`URLNormalizer`), else the URL without surrounding
    ///   whitespace.
    public mutating func sketchURL(_ value: String?, normalize: Bool, into sketch: inout DocumentSketch) {
        guard var value, !value.isEmpty else {
            sketch.urlKey = nil
            return
        }
        value.withUTF8 { raw in
            let bytes = UnsafeRawBufferPointer(raw)
            if normalize {
                urlNormalizer.normalize(bytes, into: &url)
            } else {
                url.removeAll(keepingCapacity: true)
                url.append(contentsOf: bytes)
                while let last = url.last, last == 0x20 || (last >= 0x09 && last <= 0x0D) { url.removeLast() }
                let lead = url.prefix { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }.count
                url.removeFirst(lead)
            }
        }
        sketch.urlKey = url.isEmpty ? nil : url.withUnsafeBytes { Self.urlKey(of: $0) }
    }

    /// The 128-bit key of a URL's (normalized) bytes; never (0, 0), which work files use for "no URL".
    static func urlKey(of bytes: UnsafeRawBufferPointer) -> ExactKey {
        let key = ExactKey(high: XXHash64.hash(bytes, seed: 0x5552_4C31), low: XXHash64.hash(bytes, seed: 0x5552_4C32))
        return key.high == 0 && key.low == 0 ? ExactKey(high: 0, low: 1) : key
    }

    public mutating func sketch(_ text: [UInt8]) -> DocumentSketch {
        var sketch = DocumentSketch()
        text.withUnsafeBytes { self.sketch($0, into: &sketch) }
        return sketch
    }

    /// The normalized form of `text` (for tests and tools).
    public mutating func normalize(_ text: [UInt8]) -> [UInt8] { normalizer.normalize(text) }

    /// XXH64 of every window of `ngram` words of the normalized text, into `hashes` (unsorted).
    private mutating func shingleHashes() {
        hashes.removeAll(keepingCapacity: true)
        // Words are separated by one space, except where a removed mark left two: compact those.
        var source = normalized
        let hasDoubleSpace = normalizer.mayHaveDoubleSpaces
        if hasDoubleSpace {
            compact.removeAll(keepingCapacity: true)
            for byte in normalized where !(byte == 0x20 && (compact.last == 0x20 || compact.isEmpty)) {
                compact.append(byte)
            }
            while compact.last == 0x20 { compact.removeLast() }
            source = compact
        }
        // One pass: a ring of the last `ngram` word starts; at each word end, hash the window ending there.
        let n = ngram
        if ring.count < n { ring = [Int](repeating: 0, count: n) }
        source.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, !raw.isEmpty else { return }
            let count = raw.count
            ring.withUnsafeMutableBufferPointer { ring in
                var words = 0
                var start = 0
                while start <= count {
                    let end: Int
                    if let space = memchr(base + start, 0x20, count - start) {
                        end = base.distance(to: UnsafeRawPointer(space))
                    } else {
                        end = count
                    }
                    ring[words % n] = start
                    words += 1
                    if words >= n {
                        let first = ring[words % n]
                        hashes.append(XXHash64.hash(base + first, count: end - first))
                    }
                    start = end + 1
                }
            }
        }
    }

    /// Signature value k = min over shingles h of ((h·a[k] + b[k]) mod 2⁶⁴) mod (2⁶¹ − 1).
    ///
    /// Four permutations at a time, over all shingles: the coefficients and the four minimums stay in
    /// registers, and each shingle hash is loaded once per four permutations.
    private func minHash(into signature: inout [UInt64]) {
        let count = parameters.count
        signature.removeAll(keepingCapacity: true)
        signature.append(contentsOf: repeatElement(UInt64.max, count: count))
        let prime = MinHashParameters.prime
        @inline(__always) func permute(_ h: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 {
            var v = h &* a &+ b
            v = (v & prime) &+ (v >> 61)
            return v >= prime ? v &- prime : v
        }
        signature.withUnsafeMutableBufferPointer { sig in
            parameters.a.withUnsafeBufferPointer { a in
                parameters.b.withUnsafeBufferPointer { b in
                    hashes.withUnsafeBufferPointer { shingles in
                        var k = 0
                        while k + 4 <= count {
                            let a0 = a[k], a1 = a[k + 1], a2 = a[k + 2], a3 = a[k + 3]
                            let b0 = b[k], b1 = b[k + 1], b2 = b[k + 2], b3 = b[k + 3]
                            var m0 = UInt64.max, m1 = UInt64.max, m2 = UInt64.max, m3 = UInt64.max
                            for h in shingles {
                                m0 = Swift.min(m0, permute(h, a0, b0))
                                m1 = Swift.min(m1, permute(h, a1, b1))
                                m2 = Swift.min(m2, permute(h, a2, b2))
                                m3 = Swift.min(m3, permute(h, a3, b3))
                            }
                            sig[k] = m0
                            sig[k + 1] = m1
                            sig[k + 2] = m2
                            sig[k + 3] = m3
                            k += 4
                        }
                        while k < count {
                            var m = UInt64.max
                            for h in shingles { m = Swift.min(m, permute(h, a[k], b[k])) }
                            sig[k] = m
                            k += 1
                        }
                    }
                }
            }
        }
    }
}
