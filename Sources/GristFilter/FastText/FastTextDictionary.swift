/// A fastText model's dictionary: its words then its labels (entries with counts and types), the
/// open-addressing table that finds a token's entry, the pruning map of a quantized model, and the
/// input rows of each word (itself and its character n-grams), computed once at load.
struct FastTextDictionary: Sendable {
    static let endOfSentence: [UInt8] = Array("</s>".utf8)
    static let labelPrefix: [UInt8] = Array("__label__".utf8)

    let nwords: Int32
    let nlabels: Int32
    let ntokens: Int64
    /// Entry bytes, all entries back to back; entry i is `text[textStart[i]..<textStart[i+1]]`.
    let text: [UInt8]
    let textStart: [Int32]
    let counts: [Int64]
    let isLabel: [Bool]
    /// -1 for a dictionary that was never pruned; else the number of kept hashed rows.
    let pruneIndexSize: Int64
    let pruneIndex: [Int32: Int32]
    /// fastText's `word2int_`: slot → entry, -1 where empty; size ceil(size / 0.7).
    private(set) var slots: [Int32]
    /// Input rows of word i: `rows[rowStart[i]..<rowStart[i+1]]`.
    private(set) var rows: [Int32]
    private(set) var rowStart: [Int32]
    let minn: Int32
    let maxn: Int32
    let bucket: Int32
    /// fastText's `args.label`: the prefix that makes a token unknown to the dictionary a label. A model
    /// file does not store it, so a loaded model uses `__label__`; training uses its setting.
    let argsLabelPrefix: [UInt8]

    var size: Int { counts.count }

    init(reading r: inout FastTextFileReader, args: FastTextArgs) throws {
        let headerAt = r.offset
        let size = try r.int32("dictionary size")
        let nwords = try r.int32("dictionary nwords")
        let nlabels = try r.int32("dictionary nlabels")
        let ntokens = try r.int64("dictionary ntokens")
        let pruneIndexSize = try r.int64("dictionary pruneidx_size")
        // each entry takes at least 10 bytes (NUL, count, type): a count beyond that is a damaged file
        guard size >= 0, nwords >= 0, nlabels >= 0, Int64(nwords) + Int64(nlabels) == Int64(size),
              Int(size) <= r.remaining / 10
        else { throw r.error("dictionary of \(size) entries (\(nwords) words, \(nlabels) labels)", at: headerAt) }
        guard pruneIndexSize >= -1, pruneIndexSize <= Int64(r.remaining / 8) else {
            throw r.error("pruneidx_size \(pruneIndexSize)", at: headerAt + 20)
        }
        var text: [UInt8] = []
        var textStart: [Int32] = [0]
        var counts: [Int64] = []
        var isLabel: [Bool] = []
        textStart.reserveCapacity(Int(size) + 1)
        counts.reserveCapacity(Int(size))
        isLabel.reserveCapacity(Int(size))
        for i in 0..<Int(size) {
            text += try r.cString("dictionary entry \(i)")
            textStart.append(Int32(text.count))
            counts.append(try r.int64("count of entry \(i)"))
            let typeAt = r.offset
            let type = try r.uint8("type of entry \(i)")
            guard type <= 1, (type == 1) == (i >= Int(nwords)) else {
                throw r.error("entry \(i) of type \(type) (\(nwords) words come before \(nlabels) labels)", at: typeAt)
            }
            isLabel.append(type == 1)
        }
        var pruneIndex: [Int32: Int32] = [:]
        if pruneIndexSize > 0 {
            pruneIndex.reserveCapacity(Int(pruneIndexSize))
            for _ in 0..<Int(pruneIndexSize) {
                let at = r.offset
                let from = try r.int32("pruneidx key")
                let to = try r.int32("pruneidx value")
                guard from >= 0, to >= 0 else { throw r.error("pruneidx \(from) → \(to)", at: at) }
                pruneIndex[from] = to
            }
        }
        self.init(text: text, textStart: textStart, counts: counts, isLabel: isLabel, nwords: nwords, nlabels: nlabels,
                  ntokens: ntokens, pruneIndexSize: pruneIndexSize, pruneIndex: pruneIndex,
                  minn: args.minn, maxn: args.maxn, bucket: args.bucket)
    }

    /// A dictionary of the given entries (words first, then labels, as a model file lists them): its
    /// lookup table and each word's input rows are computed here.
    init(text: [UInt8], textStart: [Int32], counts: [Int64], isLabel: [Bool], nwords: Int32, nlabels: Int32,
         ntokens: Int64, pruneIndexSize: Int64 = -1, pruneIndex: [Int32: Int32] = [:],
         minn: Int32, maxn: Int32, bucket: Int32, labelPrefix: [UInt8] = Self.labelPrefix) {
        precondition(counts.count == Int(nwords) + Int(nlabels) && textStart.count == counts.count + 1)
        let size = Int32(counts.count)
        self.nwords = nwords
        self.nlabels = nlabels
        self.ntokens = ntokens
        self.pruneIndexSize = pruneIndexSize
        self.text = text
        self.textStart = textStart
        self.counts = counts
        self.isLabel = isLabel
        self.pruneIndex = pruneIndex
        self.minn = minn
        self.maxn = maxn
        self.bucket = bucket
        self.argsLabelPrefix = labelPrefix

        let slotCount = Int((Double(size) / 0.7).rounded(.up))
        var slots = [Int32](repeating: -1, count: Swift.max(slotCount, 1))
        self.slots = slots
        self.rows = []
        self.rowStart = []
        for i in 0..<Int(size) {
            let slot = text.withUnsafeBufferPointer { t in
                let word = UnsafeBufferPointer(rebasing: t[Int(textStart[i])..<Int(textStart[i + 1])])
                return Self.findSlot(word, FastTextHash.hash(word), slots: slots, text: t, textStart: textStart)
            }
            slots[slot] = Int32(i)
        }
        self.slots = slots

        // each word's rows: the word, then its character n-grams (not for `</s>`)
        var rows: [Int32] = []
        var rowStart: [Int32] = [0]
        var scratch: [UInt8] = []
        for i in 0..<Int(nwords) {
            rows.append(Int32(i))
            let word = text[Int(textStart[i])..<Int(textStart[i + 1])]
            if !word.elementsEqual(Self.endOfSentence) {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(UInt8(ascii: "<"))
                scratch += word
                scratch.append(UInt8(ascii: ">"))
                scratch.withUnsafeBufferPointer { self.appendSubwords(of: $0, to: &rows) }
            }
            rowStart.append(Int32(rows.count))
        }
        self.rows = rows
        self.rowStart = rowStart
    }

    private static func findSlot(
        _ word: UnsafeBufferPointer<UInt8>, _ h: UInt32, slots: [Int32],
        text: UnsafeBufferPointer<UInt8>, textStart: [Int32]
    ) -> Int {
        let n = UInt32(slots.count)
        var id = Int(h % n)
        while true {
            let e = Int(slots[id])
            if e < 0 { return id }
            let start = Int(textStart[e]), end = Int(textStart[e + 1])
            if end - start == word.count,
               word.count == 0 || memcmpEqual(text.baseAddress! + start, word.baseAddress!, word.count)
            {
                return id
            }
            id = (id + 1) % Int(n)
        }
    }

    @inline(__always)
    private static func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for i in 0..<n where a[i] != b[i] { return false }
        return true
    }

    /// The entry of a token (given its hash), or -1.
    func find(_ word: UnsafeBufferPointer<UInt8>, hash h: UInt32) -> Int32 {
        text.withUnsafeBufferPointer { t in
            slots[Self.findSlot(word, h, slots: slots, text: t, textStart: textStart)]
        }
    }

    func label(_ i: Int) -> String {
        let e = Int(nwords) + i
        return String(decoding: text[Int(textStart[e])..<Int(textStart[e + 1])], as: UTF8.self)
    }

    /// Row of hashed n-gram bucket `id` (nwords + id, or through the pruning map), nil if dropped.
    @inline(__always)
    func hashedRow(_ id: Int32) -> Int32? {
        if pruneIndexSize == 0 || id < 0 { return nil }
        if pruneIndexSize > 0 {
            guard let mapped = pruneIndex[id] else { return nil }
            return nwords + mapped
        }
        return nwords + id
    }

    /// fastText's `computeSubwords`: every n-gram of 1...maxn UTF-8 characters (minn ≤ n) of the word
    /// wrapped in `<` `>`, except single characters at either end, hashed into the bucket.
    func appendSubwords(of word: UnsafeBufferPointer<UInt8>, to out: inout [Int32]) {
        guard maxn > 0, bucket > 0 else { return }
        let count = word.count
        var i = 0
        while i < count {
            if word[i] & 0xC0 == 0x80 { i += 1; continue }
            var h = FastTextHash.offsetBasis
            var j = i
            var n: Int32 = 1
            while j < count, n <= maxn {
                h = FastTextHash.step(h, word[j])
                j += 1
                while j < count, word[j] & 0xC0 == 0x80 {
                    h = FastTextHash.step(h, word[j])
                    j += 1
                }
                if n >= minn, !(n == 1 && (i == 0 || j == count)) {
                    if let row = hashedRow(Int32(bitPattern: h % UInt32(bucket))) { out.append(row) }
                }
                n += 1
            }
            i += 1
        }
    }
}
