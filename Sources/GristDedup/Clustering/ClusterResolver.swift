import GristCore

/// Resolves one connected group into clusters around survivors (see `DedupPlan.finish`), numbering the
/// clusters as they are made and counting their sizes.
///
/// A group is checked member by member against its survivor (members below the threshold are split off
/// and clustered again among themselves) with `verify: true`, and with `verify: false` when the
/// giant-cluster guard takes it: a group larger than `max_cluster_size`, or one in which at least half
/// the members to drop are below the threshold against the survivor. Otherwise (`verify: false`) the
/// group is one cluster, as in datatrove.
struct ClusterResolver {
    let plan: DedupPlan
    let store: SketchStore
    let assigned: ExternalSorter<MemberRecord>
    /// Documents of each cluster, by number.
    private(set) var sizes: [UInt32] = []
    /// Whether each cluster has a member that is not an exact duplicate of its survivor.
    private(set) var near: [Bool] = []
    private(set) var guardCounts: DedupAudit.GuardCounts
    private var survivor: UInt32 = 0
    private var cluster: UInt32? = nil
    /// Whether members below the threshold are set aside (verification, or a guarded group).
    private var verifying: Bool
    /// Whether the current group is guarded (for the counts).
    private var guarded = false
    /// `verify: false` with the guard on, in a group within the size: the members and their similarity
    /// to the survivor, until the group ends and the guard decides (at most `max_cluster_size`).
    private var buffered: [(member: UInt32, similarity: Double, exact: Bool, sameURL: Bool)] = []
    private var buffering = false
    /// Members that failed against the survivor, to be clustered again among themselves.
    private var orphans: [UInt32] = []

    init(plan: DedupPlan, store: SketchStore, assigned: ExternalSorter<MemberRecord>) {
        self.plan = plan
        self.store = store
        self.assigned = assigned
        verifying = plan.settings.verify
        guardCounts = DedupAudit.GuardCounts(maxClusterSize: plan.settings.guardsClusters ? plan.settings.maxClusterSize : 0)
    }

    /// Starts a connected group of `size` documents around `survivor`.
    mutating func open(survivor: UInt32, size: Int) {
        start(survivor: survivor)
        guarded = false
        verifying = plan.settings.verify
        buffering = false
        guard plan.settings.guardsClusters else { return }
        if size > plan.settings.maxClusterSize {
            guarded = true
            verifying = true
            guardCounts.bySize += 1
        } else {
            buffering = true
        }
    }

    private mutating func start(survivor: UInt32) {
        self.survivor = survivor
        cluster = nil
    }

    /// Checks `member` against the survivor: accepted into its cluster, set aside, or held until the group ends.
    mutating func add(_ member: UInt32, summary: inout DedupSummary) throws {
        guard member != survivor else { return }
        let a = try store.document(Int(member)), b = try store.document(Int(survivor))
        let exact = a.exactHigh == b.exactHigh && a.exactLow == b.exactLow
        // A URL duplicate needs no similarity: the same page, whatever its text became.
        let sameURL = !exact && plan.settings.url != nil && a.hasURL && a.urlHigh == b.urlHigh && a.urlLow == b.urlLow
        let similarity = exact ? 1 : try store.similarity(Int(member), Int(survivor))
        if buffering {
            buffered.append((member, similarity, exact, sameURL))
        } else {
            try place(member, similarity: similarity, exact: exact, sameURL: sameURL, summary: &summary)
        }
    }

    private mutating func place(_ member: UInt32, similarity: Double, exact: Bool, sameURL: Bool,
                                summary: inout DedupSummary) throws {
        if verifying, !exact, !sameURL, similarity < plan.settings.threshold {
            orphans.append(member)
            return
        }
        if cluster == nil {
            cluster = UInt32(sizes.count)
            sizes.append(1)
            near.append(false)
            try assigned.append(MemberRecord(document: survivor, cluster: UInt32(sizes.count - 1), kept: survivor,
                                             similarity: Float(1).bitPattern, exact: 1))
        }
        guard let cluster else { return }
        sizes[Int(cluster)] += 1
        if exact {
            summary.exactDuplicates += 1
        } else if sameURL {
            summary.urlDuplicates += 1
        } else {
            summary.nearDuplicates += 1
            near[Int(cluster)] = true
        }
        try assigned.append(MemberRecord(document: member, cluster: cluster, kept: survivor,
                                         similarity: Float(similarity).bitPattern, exact: exact ? 1 : sameURL ? 2 : 0))
    }

    /// Ends the group: the guard decides on a held group; members set aside form clusters of their own,
    /// around survivors by the keep rule.
    mutating func close(summary: inout DedupSummary) throws {
        if buffering {
            buffering = false
            let below = buffered.count { !$0.exact && !$0.sameURL && $0.similarity < plan.settings.threshold }
            if below > 0, below * 2 >= buffered.count {
                guarded = true
                verifying = true
                guardCounts.bySimilarity += 1
            }
            for entry in buffered {
                try place(entry.member, similarity: entry.similarity, exact: entry.exact, sameURL: entry.sameURL,
                          summary: &summary)
            }
            buffered.removeAll(keepingCapacity: true)
        }
        summary.splitOffDocuments += orphans.count
        if guarded { guardCounts.splitOffDocuments += orphans.count }
        while orphans.count >= 2 {
            let rest = orphans
            orphans.removeAll(keepingCapacity: true)
            var pick = rest[0]
            for candidate in rest.dropFirst() where try plan.prefers(store.document(Int(candidate)),
                                                                     over: store.document(Int(pick))) {
                pick = candidate
            }
            start(survivor: pick)
            for member in rest { try add(member, summary: &summary) }
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
