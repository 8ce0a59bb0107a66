/// The language identifier's model: per language, log-probabilities of character 1- to 3-grams.
///
/// A naive Bayes classifier over character n-grams (Cavnar & Trenkle 1994; langid.py), trained by
/// corpora/scripts/build_langid.py on the Debian Installation Guide and translated manual pages
/// (22 languages) and shipped as generated source (`LanguageModel+Generated.swift`).
struct LanguageModel: Sendable {
    /// ISO 639-1 codes, sorted.
    let languages: [String]
    /// Log-probability (hundredths of a nat) of an n-gram a language's table does not hold.
    let floors: [Int32]
    /// Open-addressing table from a known n-gram (its up-to-three scalars packed 21 bits each) to
    /// its row: `keys[slot]` (0: empty) and `slotRows[slot]`.
    private let keys: [UInt64]
    private let slotRows: [Int32]
    private let mask: Int
    /// Log-probabilities in hundredths of a nat, one row per known n-gram, one column per language.
    let matrix: [Int16]
    /// Per block of 256 code points, whether the model knows a letter in it: a stand-in for "a script
    /// some language here is written in" (Arabic, Hebrew, Devanagari, Thai fall in blocks it never saw;
    /// a rare Han character in a block of known ones does not).
    let knownBlocks: [Bool]

    static let shared = LanguageModel()

    private init() {
        var languages: [String] = []
        var floors: [Int32] = []
        var entries: [(UInt64, Int, Int16)] = []  // key, language, log-probability
        var current = -1
        for line in Self.data.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                current = -1
                continue
            }
            guard let tab = line.lastIndex(of: "\t"), let value = Int(line[line.index(after: tab)...]) else { continue }
            let head = line[..<tab]
            if current < 0 {
                current = languages.count
                languages.append(String(head))
                floors.append(Int32(value))
            } else if let key = Self.key(head.unicodeScalars.map(\.value)) {
                entries.append((key, current, Int16(clamping: value)))
            }
        }
        var knownBlocks = [Bool](repeating: false, count: 0x110000 >> 8)
        for (key, _, _) in entries where key < 1 << 21 { knownBlocks[Int(key >> 8)] = true }
        var rows: [UInt64: Int32] = [:]
        for (key, _, _) in entries where rows[key] == nil { rows[key] = Int32(rows.count) }
        var matrix = [Int16](repeating: 0, count: rows.count * languages.count)
        for r in 0..<rows.count {
            for l in 0..<languages.count { matrix[r * languages.count + l] = Int16(clamping: floors[l]) }
        }
        for (key, language, value) in entries {
            if let row = rows[key] { matrix[Int(row) * languages.count + language] = value }
        }
        var capacity = 1024
        while capacity < rows.count * 3 { capacity *= 2 }
        var keys = [UInt64](repeating: 0, count: capacity)
        var slotRows = [Int32](repeating: -1, count: capacity)
        for (key, row) in rows {
            var slot = Self.slot(key, capacity - 1)
            while keys[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = key
            slotRows[slot] = row
        }
        self.languages = languages
        self.floors = floors
        self.keys = keys
        self.slotRows = slotRows
        self.mask = capacity - 1
        self.matrix = matrix
        self.knownBlocks = knownBlocks
    }

    /// Whether the model knows letters of the 256-code-point block of `scalar`.
    @inline(__always)
    func knowsBlock(of scalar: UInt64) -> Bool { scalar < 0x110000 && knownBlocks[Int(scalar >> 8)] }

    /// One to three scalars packed into a key.
    @inline(__always)
    static func key(_ scalars: [UInt32]) -> UInt64? {
        guard (1...3).contains(scalars.count) else { return nil }
        var k: UInt64 = 0
        for s in scalars { k = k << 21 | UInt64(s) }
        return k  // unique: scalars are never 0, so lengths cannot collide
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        let h = key &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h >> 40) & mask
    }

    /// The row of n-gram `key`, if the model knows it.
    @inline(__always)
    func row(_ key: UInt64) -> Int? {
        keys.withUnsafeBufferPointer { keys in
            var slot = Self.slot(key, mask)
            while true {
                let k = keys[slot]
                if k == key { return Int(slotRows[slot]) }
                if k == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}
