// Stands in for GristCore's GristError when bench/fasttext/compare.sh compiles GristFilter/FastText alone.
struct GristError: Error, CustomStringConvertible {
    enum Kind { case io, badFormat, usage }
    var kind: Kind
    var message: String
    init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    var description: String { message }
}
