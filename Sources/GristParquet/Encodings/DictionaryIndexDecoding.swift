/// The data of a dictionary-encoded page (RLE_DICTIONARY, or PLAIN_DICTIONARY in old files): one
/// byte of bit width, then the indices into the dictionary page as an RLE/bit-packed hybrid.
enum DictionaryIndexDecoding {
    /// Decodes `count` indices into `out` and checks each against `dictionaryCount`.
    static func decode(
        _ data: UnsafeRawBufferPointer, count: Int, dictionaryCount: Int, into out: UnsafeMutablePointer<UInt32>
    ) throws(DecodeFailure) {
        guard count > 0 else { return }
        guard data.count >= 1 else { throw .corrupt("dictionary-encoded page without its bit width byte") }
        var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: data[1...]), bitWidth: Int(data[0]))
        try decoder.decode(count: count, into: out)
        var largest: UInt32 = 0
        for i in 0..<count { largest = max(largest, out[i]) }
        if Int(largest) >= dictionaryCount {
            throw .corrupt("dictionary index \(largest) out of range (dictionary has \(dictionaryCount) values)")
        }
    }
}
