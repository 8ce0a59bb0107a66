import GristCore

/// One evaluation item as the index knows it: its set, its id, how many normalized words it has.
public struct EvalItemInfo: Sendable, Equatable {
    public let set: String
    public let id: String
    public let wordCount: Int
}

/// An item of an ``EvalSetIndex`` (its number, in the order items were added).
public struct EvalItemRef: Sendable, Hashable, Comparable {
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (a: Self, b: Self) -> Bool { a.index < b.index }
}

/// How eval items become n-grams.
public struct EvalSetIndexOptions: Sendable, Hashable, Codable {
    /// n: items are cut into every run of n words (13, as GPT-3).
    public var ngram = 13
    /// An item of fewer than `ngram` words but at least `minNgram` is indexed whole (one run of its
    /// length); a shorter one is not indexed (counted in ``EvalSetIndex/tooShortItems``).
    public var minNgram = 8
    public var normalization = DecontaminationNormalization()

    public init(ngram: Int = 13, minNgram: Int = 8, normalization: DecontaminationNormalization = .init()) {
        self.ngram = ngram
        self.minNgram = min(minNgram, ngram)
        self.normalization = normalization
    }
}

/// The n-grams of a collection of evaluation sets: each n-gram's 64-bit hash mapped to the items it
/// comes from.
///
/// Storage is an open-addressing table (linear probing, power-of-two capacity, load kept at most
/// 3/4): a `UInt64` key and a `UInt32` value per slot, 12 bytes, so **16 to 32 bytes per distinct
/// n-gram** (24 on average over sizes) plus, for an n-gram shared by several items, a small list.
/// Ten million n-grams take 160–320 MB. Past `memoryBudget` bytes of slots the table moves into a file
/// of `spillDirectory` mapped into memory (``SpilledNGramTable``): the same lookups, on pages the kernel
/// can write back and drop under memory pressure. Item ids and shared lists stay in memory.
///
/// Hashes are not verified against the words (no text is kept): two different n-grams collide with
/// probability 2^-64 per pair, about 10^-6 over 10^7 eval n-grams × 10^12 document n-grams.
public struct EvalSetIndex: Sendable {
    public let options: EvalSetIndexOptions
    public private(set) var items: [EvalItemInfo] = []
    /// Items with fewer than `minNgram` words: not indexed.
    public private(set) var tooShortItems: [EvalItemRef] = []
    /// The n-gram lengths present, longest first: `ngram` and the lengths of whole short items.
    public private(set) var lengths: [Int] = []
    /// Distinct n-grams indexed.
    public private(set) var count = 0

    private var keys: [UInt64]
    private var values: [UInt32]
    /// The slots, once they outgrew `memoryBudget` (then `keys` and `values` are empty).
    private var spilled: SpilledNGramTable?
    private var mask: Int
    /// Bytes of slots kept in memory; past them the table moves to a file of `spillDirectory`.
    public let memoryBudget: Int
    public let spillDirectory: String?
    /// Set when the table should have moved to a file but could not (it stayed in memory).
    public private(set) var spillError: GristError?
    /// Whether the slots are in a file.
    public var isSpilled: Bool { spilled != nil }
    /// Items of n-grams shared by several items (a value with the top bit set points here).
    private var shared: [[UInt32]] = []
    private let normalizer: DecontaminationNormalizer
    let hasher: NGramHash

    private static let sharedBit: UInt32 = 0x8000_0000

    /// - Parameters:
    ///   - memoryBudget: bytes of slots kept in memory (12 per slot) before they move to a file.
    ///   - spillDirectory: where that file goes; nil keeps everything in memory.
    public init(options: EvalSetIndexOptions = .init(), capacity: Int = 1024, memoryBudget: Int = .max,
                spillDirectory: String? = nil) {
        self.options = options
        self.memoryBudget = memoryBudget
        self.spillDirectory = spillDirectory
        var slots = 16
        while slots * 3 < capacity * 4 { slots *= 2 }
        keys = [UInt64](repeating: 0, count: slots)
        values = [UInt32](repeating: 0, count: slots)
        mask = slots - 1
        normalizer = DecontaminationNormalizer(options.normalization)
        hasher = NGramHash(maxLength: options.ngram)
    }

    /// Bytes the table takes now (keys, values, shared lists).
    public var tableBytes: Int { slotCount * 12 + shared.reduce(0) { $0 + 24 + $1.count * 4 } }

    private var slotCount: Int { mask + 1 }

    /// Indexes one item; returns its ref.
    @discardableResult
    public mutating func add(set: String, id: String, text: [UInt8]) -> EvalItemRef {
        let words = normalizer.words(in: text)
        let ref = EvalItemRef(items.count)
        items.append(EvalItemInfo(set: set, id: id, wordCount: words.count))
        let n = options.ngram
        let length: Int
        if words.count >= n {
            length = n
        } else if words.count >= options.minNgram {
            length = words.count
        } else {
            tooShortItems.append(ref)
            return ref
        }
        if !lengths.contains(length) {
            lengths.append(length)
            lengths.sort(by: >)
        }
        var prefix: [UInt64] = []
        NGramHash.prefixes(words.hashes, into: &prefix)
        prefix.withUnsafeBufferPointer { p in
            for start in 0...(words.count - length) {
                insert(hasher.hash(p, start: start, length: length), UInt32(ref.index))
            }
        }
        return ref
    }

    public mutating func add(set: String, id: String, text: String) -> EvalItemRef {
        add(set: set, id: id, text: Array(text.utf8))
    }

    private mutating func insert(_ key: UInt64, _ item: UInt32) {
        if (count + 1) * 4 > slotCount * 3 { grow() }
        if let spilled {
            insert(key, item, keys: spilled.keys, values: spilled.values)
        } else {
            var k = keys, v = values
            keys = []
            values = []
            k.withUnsafeMutableBufferPointer { k in
                v.withUnsafeMutableBufferPointer { v in insert(key, item, keys: k.baseAddress!, values: v.baseAddress!) }
            }
            keys = k
            values = v
        }
    }

    private mutating func insert(_ key: UInt64, _ item: UInt32, keys: UnsafeMutablePointer<UInt64>,
                                 values: UnsafeMutablePointer<UInt32>) {
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let k = keys[slot]
            if k == 0 {
                keys[slot] = key
                values[slot] = item
                count += 1
                return
            }
            if k == key {
                let v = values[slot]
                if v & Self.sharedBit != 0 {
                    let list = Int(v & ~Self.sharedBit)
                    if shared[list].last != item { shared[list].append(item) }
                } else if v != item {
                    values[slot] = Self.sharedBit | UInt32(shared.count)
                    shared.append([v, item])
                }
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Doubles the slots, into a file past the memory budget.
    private mutating func grow() {
        let old = (keys: keys, values: values, spilled: spilled, slots: slotCount)
        let slots = old.slots * 2
        var target: SpilledNGramTable? = nil
        if slots * 12 > memoryBudget, let directory = spillDirectory, spillError == nil {
            do {
                target = try SpilledNGramTable(slots: slots, directory: directory)
            } catch {
                spillError = error as? GristError ?? GristError(.io, "\(error)")
            }
        }
        var newKeys = target == nil ? [UInt64](repeating: 0, count: slots) : []
        var newValues = target == nil ? [UInt32](repeating: 0, count: slots) : []
        func move(into to: UnsafeMutablePointer<UInt64>, _ toValues: UnsafeMutablePointer<UInt32>) {
            func place(_ k: UInt64, _ v: UInt32) {
                var slot = Int(truncatingIfNeeded: k) & (slots - 1)
                while to[slot] != 0 { slot = (slot + 1) & (slots - 1) }
                to[slot] = k
                toValues[slot] = v
            }
            if let from = old.spilled {
                for i in 0..<old.slots where from.keys[i] != 0 { place(from.keys[i], from.values[i]) }
            } else {
                for i in 0..<old.slots where old.keys[i] != 0 { place(old.keys[i], old.values[i]) }
            }
        }
        if let target {
            move(into: target.keys, target.values)
        } else {
            newKeys.withUnsafeMutableBufferPointer { k in
                newValues.withUnsafeMutableBufferPointer { v in move(into: k.baseAddress!, v.baseAddress!) }
            }
        }
        keys = newKeys
        values = newValues
        spilled = target
        mask = slots - 1
    }

    /// The raw value stored for `key`, or nil. (Used by the matcher's hot loop through ``withTable``.)
    @inline(__always)
    static func lookup(_ keys: UnsafeBufferPointer<UInt64>, _ mask: Int, _ key: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let k = keys[slot]
            if k == key { return slot }
            if k == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }

    func withTable<R>(_ body: (UnsafeBufferPointer<UInt64>, Int) -> R) -> R {
        if let spilled { return body(UnsafeBufferPointer(start: spilled.keys, count: spilled.slots), mask) }
        return keys.withUnsafeBufferPointer { body($0, mask) }
    }

    /// The items of the n-gram in `slot` (a slot ``lookup`` found), appended to `refs`.
    func appendItems(slot: Int, to refs: inout [EvalItemRef]) {
        let v = spilled?.values[slot] ?? values[slot]
        if v & Self.sharedBit != 0 {
            for item in shared[Int(v & ~Self.sharedBit)] { refs.append(EvalItemRef(Int(item))) }
        } else {
            refs.append(EvalItemRef(Int(v)))
        }
    }

    /// The items whose n-grams include the run of words of `text`'s hash (for tests: the n-gram of `text` whole).
    public func items(matchingWhole text: String) -> [EvalItemRef] {
        let words = normalizer.words(in: Array(text.utf8))
        guard words.count > 0, words.count <= options.ngram else { return [] }
        var prefix: [UInt64] = []
        NGramHash.prefixes(words.hashes, into: &prefix)
        let key = prefix.withUnsafeBufferPointer { hasher.hash($0, start: 0, length: words.count) }
        guard let slot = withTable({ Self.lookup($0, $1, key) }) else { return [] }
        var refs: [EvalItemRef] = []
        appendItems(slot: slot, to: &refs)
        return refs
    }

    public func item(_ ref: EvalItemRef) -> EvalItemInfo { items[ref.index] }
}
