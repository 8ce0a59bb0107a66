/// The language identifier's model: per language, log-probabilities of character 1- to 3-grams.
///
/// A naive Bayes classifier over character n-grams (Cavnar & Trenkle 1994; langid.py), trained by
/// corpora/scripts/build_langid.py on the Debian Installation Guide and translated manual pages
/// (22 languages) and shipped as generated source (`LanguageModel+Generated.swift`).
struct LanguageModel: Sendable {
    /// ISO 639-1 codes, sorted.
    let languages: [String]
    /// Log-probability of an n-gram a language's table does not hold (natural log).
    let floors: [Float]
    /// Row of each known n-gram (its up-to-three scalars packed 21 bits each).
    private let rows: [UInt64: Int32]
    /// Log-probabilities, one row per known n-gram, one column per language.
    let matrix: [Float]

    static let shared = LanguageModel()

    private init() {
        var languages: [String] = []
        var floors: [Float] = []
        var entries: [(UInt64, Int, Float)] = []  // key, language, log-probability
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
                floors.append(Float(value) / 100)
            } else if let key = Self.key(head.unicodeScalars.map(\.value)) {
                entries.append((key, current, Float(value) / 100))
            }
        }
        var rows: [UInt64: Int32] = [:]
        for (key, _, _) in entries where rows[key] == nil { rows[key] = Int32(rows.count) }
        var matrix = [Float](repeating: 0, count: rows.count * languages.count)
        for r in 0..<rows.count {
            for l in 0..<languages.count { matrix[r * languages.count + l] = floors[l] }
        }
        for (key, language, value) in entries {
            if let row = rows[key] { matrix[Int(row) * languages.count + language] = value }
        }
        self.languages = languages
        self.floors = floors
        self.rows = rows
        self.matrix = matrix
    }

    /// One to three scalars packed into a key.
    @inline(__always)
    static func key(_ scalars: [UInt32]) -> UInt64? {
        guard (1...3).contains(scalars.count) else { return nil }
        var k: UInt64 = 0
        for s in scalars { k = k << 21 | UInt64(s) }
        return k  // unique: scalars are never 0, so lengths cannot collide
    }

    @inline(__always)
    func row(_ key: UInt64) -> Int? { rows[key].map(Int.init) }
}
