/// Where a configured field (`text_field`, `id_field`) may sit in a record.
///
/// A plain name is a top-level key. A dotted name like `meta.body` is tried two ways, best first:
/// the top-level key `"meta.body"` literally (some corpora have dotted keys), then key `"body"`
/// inside the object under `"meta"`.
struct JSONFieldPath: Sendable {
    /// The name as configured, for messages.
    let name: String
    /// Key sequences to try, best first; each key is raw UTF-8.
    let candidates: [[[UInt8]]]

    init(_ name: String) {
        self.name = name
        var candidates = [[Array(name.utf8)]]
        let parts = name.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if parts.count > 1, parts.allSatisfy({ !$0.isEmpty }) {
            candidates.append(parts.map { Array($0) })
        }
        self.candidates = candidates
    }
}
