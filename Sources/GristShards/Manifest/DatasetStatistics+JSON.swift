/// The JSON form of the statistics (`grist stats --json`): every key is always present, with `null`
/// when there is no value, and derived figures (removed documents, tokens per byte) are included.
extension DatasetStatistics.Run {
    enum CodingKeys: String, CodingKey {
        case id, status, startedAt, finishedAt, toolVersion, configPath, configSha256, seed, workers, error
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(status, forKey: .status)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(toolVersion, forKey: .toolVersion)
        try c.encode(configPath, forKey: .configPath)
        try c.encode(configSha256, forKey: .configSha256)
        try c.encode(seed, forKey: .seed)
        try c.encode(workers, forKey: .workers)
        try c.encode(error, forKey: .error)
    }
}

extension DatasetStatistics.Source {
    enum CodingKeys: String, CodingKey {
        case name, format, weight, files, failedFiles, documentsRead, bytesRead, recordsSkipped, keptDocuments,
             keptBytes, keptTokens, trainTokens, valTokens, multiplier, targetShare, achievedShare, stages
        case removedDocuments, tokensPerByte
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(format, forKey: .format)
        try c.encode(weight, forKey: .weight)
        try c.encode(files, forKey: .files)
        try c.encode(failedFiles, forKey: .failedFiles)
        try c.encode(documentsRead, forKey: .documentsRead)
        try c.encode(bytesRead, forKey: .bytesRead)
        try c.encode(recordsSkipped, forKey: .recordsSkipped)
        try c.encode(removedDocuments, forKey: .removedDocuments)
        try c.encode(keptDocuments, forKey: .keptDocuments)
        try c.encode(keptBytes, forKey: .keptBytes)
        try c.encode(keptTokens, forKey: .keptTokens)
        try c.encode(tokensPerByte, forKey: .tokensPerByte)
        try c.encode(trainTokens, forKey: .trainTokens)
        try c.encode(valTokens, forKey: .valTokens)
        try c.encode(multiplier, forKey: .multiplier)
        try c.encode(targetShare, forKey: .targetShare)
        try c.encode(achievedShare, forKey: .achievedShare)
        try c.encode(stages, forKey: .stages)
    }
}

extension DatasetStatistics.Lengths {
    enum CodingKeys: String, CodingKey { case source, metric, percentiles, histogram }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(metric, forKey: .metric)
        try c.encode(percentiles, forKey: .percentiles)
        try c.encode(histogram, forKey: .histogram)
    }
}

extension DatasetStatistics {
    enum CodingKeys: String, CodingKey {
        case run, sources, splits, files, tokenizer, lengths, topTokens, languages, classifiers, contamination
        case trainingRuns, warnings, dedupAudit, earlierBuilds
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(run, forKey: .run)
        try c.encode(tokenizer, forKey: .tokenizer)
        try c.encode(sources, forKey: .sources)
        try c.encode(splits, forKey: .splits)
        try c.encode(files, forKey: .files)
        try c.encode(lengths, forKey: .lengths)
        try c.encode(topTokens, forKey: .topTokens)
        try c.encode(languages, forKey: .languages)
        try c.encode(classifiers, forKey: .classifiers)
        try c.encode(contamination, forKey: .contamination)
        try c.encode(trainingRuns, forKey: .trainingRuns)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(dedupAudit, forKey: .dedupAudit)
        if !earlierBuilds.isEmpty { try c.encode(earlierBuilds, forKey: .earlierBuilds) }
    }
}

extension DedupAuditRecord: Encodable {
    enum CodingKeys: String, CodingKey {
        case threshold, seed, verify, keepRule, clusters, documents, nearClusters, sampledClusters, toKept, betweenMembers
        case exactPairs, sizes, largest
        case guardCounts = "guard"
    }

    private struct Guard: Encodable {
        var maxClusterSize, bySize, bySimilarity, clusters, splitOffDocuments: Int
    }

    private struct Member: Encodable {
        var position: Int
        var document: Int64
        var source: String?
        var id: String?
        var similarity: Double?
        var firstLine: String

        enum CodingKeys: String, CodingKey { case position, document, source, id, similarity, firstLine }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(position, forKey: .position)
            try c.encode(document, forKey: .document)
            try c.encode(source, forKey: .source)
            try c.encode(id, forKey: .id)
            try c.encode(similarity, forKey: .similarity)
            try c.encode(firstLine, forKey: .firstLine)
        }
    }

    private struct Cluster: Encodable {
        var rank: Int
        var cluster: Int64
        var size: Int?
        var members: [Member]

        enum CodingKeys: String, CodingKey { case rank, cluster, size, members }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rank, forKey: .rank)
            try c.encode(cluster, forKey: .cluster)
            try c.encode(size, forKey: .size)
            try c.encode(members, forKey: .members)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(seed, forKey: .seed)
        try c.encode(verify, forKey: .verify)
        try c.encode(keepRule, forKey: .keepRule)
        try c.encode(clusters, forKey: .clusters)
        try c.encode(documents, forKey: .documents)
        try c.encode(nearClusters, forKey: .nearClusters)
        try c.encode(sampledClusters, forKey: .sampledClusters)
        try c.encode(toKept, forKey: .toKept)
        try c.encode(betweenMembers, forKey: .betweenMembers)
        try c.encode(exactPairs, forKey: .exactPairs)
        try c.encode(sizes, forKey: .sizes)
        try c.encode(Guard(maxClusterSize: maxClusterSize, bySize: guardedBySize, bySimilarity: guardedBySimilarity,
                           clusters: guardedClusters, splitOffDocuments: guardSplitOff), forKey: .guardCounts)
        var clusters: [Cluster] = []
        for m in largest {
            if clusters.last?.rank != m.rank {
                clusters.append(Cluster(rank: m.rank, cluster: m.clusterId, size: m.clusterSize, members: []))
            }
            clusters[clusters.count - 1].members.append(Member(
                position: m.position, document: m.documentId, source: m.source, id: m.externalId,
                similarity: m.similarity, firstLine: m.firstLine))
        }
        try c.encode(clusters, forKey: .largest)
    }
}

extension DedupAuditRecord.Estimate: Encodable {
    enum CodingKeys: String, CodingKey { case pairs, atOrAbove, precision, low, high }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pairs, forKey: .pairs)
        try c.encode(atOrAbove, forKey: .atOrAbove)
        try c.encode(precision, forKey: .precision)
        try c.encode(low, forKey: .low)
        try c.encode(high, forKey: .high)
    }
}


extension DatasetStatistics.Classifier {
    enum CodingKeys: String, CodingKey {
        case stage, model, modelSha256, granularity, label, threshold, action, scoredLabel, sources
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(stage, forKey: .stage)
        try c.encode(model, forKey: .model)
        try c.encode(modelSha256, forKey: .modelSha256)
        try c.encode(granularity, forKey: .granularity)
        try c.encode(label, forKey: .label)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(action, forKey: .action)
        try c.encode(scoredLabel, forKey: .scoredLabel)
        try c.encode(sources, forKey: .sources)
    }
}

extension ScoreDistribution: Encodable {
    enum CodingKeys: String, CodingKey {
        case source, documents, bins, atOrAboveThreshold, belowThreshold, p10, p50, p90
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(documents, forKey: .documents)
        try c.encode(bins, forKey: .bins)
        try c.encode(atOrAboveThreshold, forKey: .atOrAboveThreshold)
        try c.encode(belowThreshold, forKey: .belowThreshold)
        try c.encode(p10, forKey: .p10)
        try c.encode(p50, forKey: .p50)
        try c.encode(p90, forKey: .p90)
    }
}
