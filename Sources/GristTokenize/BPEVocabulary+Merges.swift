import GristCore

/// One merge of a merge list (`merges.txt`, `tokenizer.json`): the ordinary tokens `left` and `right`,
/// adjacent, become `token`. Ids, not ranks.
public struct BPEMerge: Sendable, Hashable {
    public var left: UInt32
    public var right: UInt32
    public var token: UInt32

    public init(left: UInt32, right: UInt32, token: UInt32) {
        self.left = left
        self.right = right
        self.token = token
    }
}

extension BPEVocabulary {
    /// The vocabulary as a merge list, one merge per multi-byte ordinary token, in rank order: the
    /// pair of lower-ranked tokens that BPE reaches when it encodes the token's own bytes with only
    /// the ranks below the token's (what tiktoken → Hugging Face converters do; for GPT-2 this is
    /// OpenAI's `vocab.bpe`, merge for merge).
    ///
    /// Merging by this list, lowest merge first, gives the same tokens as merging by the rank of the
    /// concatenation (tiktoken's rule, `BPEEncoder`) whenever every token is built from tokens of
    /// lower rank, as in every vocabulary BPE training makes.
    ///
    /// - Throws: `.badFormat` naming the first token that is not one merge of two lower-ranked tokens
    ///   (a hand-made ranks file, say); such a vocabulary has no merge list.
    /// - Complexity: O(n²) rank lookups per token of n bytes.
    public func merges() throws -> [BPEMerge] {
        var out: [BPEMerge] = []
        out.reserveCapacity(max(0, ranks.rankLimit - 256))
        // Part boundaries of the token being merged, and the rank of each adjacent pair of parts
        // (`missing` when that pair is not a token of lower rank); reused for every token.
        var bounds: [Int] = []
        var pairRanks: [UInt32] = []
        for rank in 0..<ranks.rankLimit {
            let token = ranks.bytes(of: rank)
            guard token.count > 1, let base = token.baseAddress else { continue }
            let limit = UInt32(rank)
            func pairRank(_ i: Int) -> UInt32 {
                let found = ranks.rank(base + bounds[i], bounds[i + 2] - bounds[i])
                return found < limit ? found : RankTable.missing
            }
            bounds.removeAll(keepingCapacity: true)
            bounds.append(contentsOf: 0...token.count)
            pairRanks.removeAll(keepingCapacity: true)
            for i in 0..<(token.count - 1) { pairRanks.append(pairRank(i)) }
            while pairRanks.count > 1 {
                var best = 0
                for i in 1..<pairRanks.count where pairRanks[i] < pairRanks[best] { best = i }
                guard pairRanks[best] != RankTable.missing else { break }
                bounds.remove(at: best + 1)
                pairRanks.remove(at: best)
                if best < pairRanks.count { pairRanks[best] = pairRank(best) }
                if best > 0 { pairRanks[best - 1] = pairRank(best - 1) }
            }
            guard bounds.count == 3 else {
                throw GristError(.badFormat, "token \(id(ofRank: limit)) (\(ByteLevelAlphabet.encode(token).debugDescription)) "
                                 + "is not one merge of two tokens of lower rank, so the \(name) vocabulary has no merge list",
                                 hint: "Hugging Face's BPE makes every token by merging two earlier ones; a vocabulary "
                                     + "trained by BPE has that shape")
            }
            let split = bounds[1]
            let left = ranks.rank(base, split), right = ranks.rank(base + split, token.count - split)
            out.append(BPEMerge(left: id(ofRank: left), right: id(ofRank: right), token: id(ofRank: limit)))
        }
        return out
    }

    /// The id of the ordinary token of rank `rank`.
    func id(ofRank rank: UInt32) -> UInt32 { idOfRank.map { $0[Int(rank)] } ?? rank }
}
