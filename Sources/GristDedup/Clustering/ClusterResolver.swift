import GristCore

/// Resolves one connected group into clusters around survivors (see `DedupPlan.finish`).
struct ClusterResolver {
    let plan: DedupPlan
    let store: SketchStore
    private var survivor: UInt32 = 0
    private var cluster: UInt32? = nil
    private var accepted = 0
    /// Members that failed against the survivor, to be clustered again among themselves.
    private var orphans: [UInt32] = []

    init(plan: DedupPlan, store: SketchStore) {
        self.plan = plan
        self.store = store
    }

    mutating func open(survivor: UInt32) {
        self.survivor = survivor
        cluster = nil
        accepted = 0
        orphans.removeAll(keepingCapacity: true)
    }

    /// Checks `member` against the survivor: accepted into its cluster, or set aside.
    mutating func add(_ member: UInt32, into assigned: ExternalSorter<MemberRecord>, sizes: inout [UInt32],
                      summary: inout DedupSummary) throws {
        guard member != survivor else { return }
        let a = try store.document(Int(member)), b = try store.document(Int(survivor))
        let exact = a.exactHigh == b.exactHigh && a.exactLow == b.exactLow
        // A URL duplicate needs no similarity: the same page, whatever its text became.
        let sameURL = !exact && plan.settings.url != nil && a.hasURL && a.urlHigh == b.urlHigh && a.urlLow == b.urlLow
        let similarity = exact ? 1 : try store.similarity(Int(member), Int(survivor))
        if plan.settings.verify, !exact, !sameURL, similarity < plan.settings.threshold {
            orphans.append(member)
            return
        }
        if cluster == nil {
            cluster = UInt32(sizes.count)
            sizes.append(1)
            try assigned.append(MemberRecord(document: survivor, cluster: UInt32(sizes.count - 1), kept: survivor,
                                             similarity: Float(1).bitPattern, exact: 1))
        }
        guard let cluster else { return }
        sizes[Int(cluster)] += 1
        accepted += 1
        if exact {
            summary.exactDuplicates += 1
        } else if sameURL {
            summary.urlDuplicates += 1
        } else {
            summary.nearDuplicates += 1
        }
        try assigned.append(MemberRecord(document: member, cluster: cluster, kept: survivor,
                                         similarity: Float(similarity).bitPattern, exact: exact ? 1 : sameURL ? 2 : 0))
    }

    /// Ends the group: members set aside form clusters of their own, around survivors by the keep rule.
    mutating func close(into assigned: ExternalSorter<MemberRecord>, sizes: inout [UInt32],
                        summary: inout DedupSummary) throws {
        summary.splitOffDocuments += orphans.count
        while orphans.count >= 2 {
            let rest = orphans
            var pick = rest[0]
            for candidate in rest.dropFirst() where try plan.prefers(store.document(Int(candidate)),
                                                                     over: store.document(Int(pick))) {
                pick = candidate
            }
            open(survivor: pick)
            for member in rest { try add(member, into: assigned, sizes: &sizes, summary: &summary) }
        }
        orphans.removeAll(keepingCapacity: true)
    }
}

/// A member's place, sorted back into document order at the end of clustering.
struct MemberRecord: BitwiseCopyable, Comparable {
    var document: UInt32
    var cluster: UInt32
    var kept: UInt32
    /// `Float` bits of the similarity to the survivor.
    var similarity: UInt32
    /// How the member matched its survivor: 1 the normalized text, 2 the URL (text differs), 0 near.
    var exact: UInt32

    static func < (a: Self, b: Self) -> Bool { a.document < b.document }
    static func == (a: Self, b: Self) -> Bool { a.document == b.document }
}
