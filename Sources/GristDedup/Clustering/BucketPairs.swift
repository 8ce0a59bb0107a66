/// Turns one LSH bucket (documents in ascending order) into candidate pairs: every pair while the
/// bucket has at most `smallBucket` documents, else each document with the first and with the previous
/// one (a star and a chain: the same clusters without verification, linear in the bucket's size).
struct BucketPairs {
    static let smallBucket = 8
    private var members: [UInt32] = []
    private var large = false
    private var previous: UInt32 = 0

    mutating func add(_ document: UInt32, into pairs: ExternalSorter<PairRecord>) throws {
        if !large {
            if members.count < Self.smallBucket {
                members.append(document)
                return
            }
            large = true
            for (i, member) in members.enumerated() where i > 0 {
                try pairs.append(PairRecord(first: members[0], second: member))
                if i > 1 { try pairs.append(PairRecord(first: members[i - 1], second: member)) }
            }
            previous = members[members.count - 1]
        }
        try pairs.append(PairRecord(first: members[0], second: document))
        if previous != members[0] { try pairs.append(PairRecord(first: previous, second: document)) }
        previous = document
    }

    mutating func close(into pairs: ExternalSorter<PairRecord>) throws {
        defer {
            members.removeAll(keepingCapacity: true)
            large = false
        }
        guard !large, members.count >= 2 else { return }
        for i in 0..<members.count {
            for j in (i + 1)..<members.count { try pairs.append(PairRecord(first: members[i], second: members[j])) }
        }
    }
}
