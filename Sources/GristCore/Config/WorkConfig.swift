/// How a build cuts its work (the unit of parallelism and of resume), from the config's `work:` section.
public struct WorkConfig: Decodable, Sendable, ConfigSection {
    /// Size of a part: large plain JSON Lines files are read in byte ranges of this size by several
    /// workers (a gzip or zstd one larger than a part in up to four ranges of its decompressed bytes),
    /// and every file's scan results are stored in pieces of about this much input, so a crash loses at
    /// most one part per worker. Changing it re-scans everything; it never changes the output.
    public var partMB = 64.0

    enum CodingKeys: String, CodingKey, CaseIterable { case partMB = "part_mb" }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decode(.partMB, into: &partMB, .within(0.001...65_536))
    }

    /// The part size in bytes.
    public var partBytes: Int { max(1024, Int(partMB * 1_048_576)) }
}
