import GristShards

/// Percentiles and a power-of-two histogram of document lengths, computed once at build time so that
/// `grist stats` and `grist report` read a few rows instead of scanning every document.
enum LengthProfile {
    static let percentiles: [Double] = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1]

    static func distribution(of lengths: [Int], sourceId: Int64?, metric: LengthDistribution.Metric)
        -> LengthDistribution {
        let sorted = lengths.sorted()
        guard let last = sorted.last else {
            return LengthDistribution(sourceId: sourceId, metric: metric, percentiles: [], histogram: [])
        }
        let points = percentiles.map { p in
            (percentile: p, value: sorted[Int((p * Double(sorted.count - 1)).rounded())])
        }
        // Bins [0, 1), [1, 2), [2, 4), [4, 8), … up to the bin that holds the longest document.
        var bins: [(lowerBound: Int, upperBound: Int, documents: Int)] = [(0, 1, 0)]
        while bins[bins.count - 1].upperBound <= last {
            let lower = bins[bins.count - 1].upperBound
            bins.append((lower, lower * 2, 0))
        }
        for length in sorted {
            let index = length == 0 ? 0 : (Int.bitWidth - length.leadingZeroBitCount)
            bins[index].documents += 1
        }
        // Leading empty bins say nothing; keep from the first non-empty one.
        let first = bins.firstIndex { $0.documents > 0 } ?? 0
        return LengthDistribution(sourceId: sourceId, metric: metric, percentiles: points,
                                  histogram: Array(bins[first...]))
    }
}
