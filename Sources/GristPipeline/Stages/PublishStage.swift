import GristCore

/// The end of a build: the staged manifest, shards, vocabulary and rejects replace the published ones
/// (`OutputFolder.publish`; nothing is staged when the build was up to date), work the current config
/// no longer uses is removed, and the inputs are recorded for the next build's "changed since" report.
struct PublishStage: BuildStage {
    static let name = StageName.publish
    static let storesWork = false
    let output: OutputFolder
    /// The stored work the current build uses: its scan units, dedup and vocabulary keys.
    let units: Set<String>
    let dedupKey: String?
    let vocabularyKey: String?
    let scanPlan: ScanPlan
    /// Whether the published build already is this one.
    let upToDate: Bool

    /// Publishing is never stored: it moves what the shards stage staged.
    var key: String { "" }

    func run() throws -> StageRun<Void> {
        if upToDate {
            try FileSystem.remove(output.staging)
        } else {
            try output.publish()
        }
        output.collectGarbage(parts: units, dedup: dedupKey, vocab: vocabularyKey, paragraphs: scanPlan.paragraphKey)
        InputChanges.store(scanPlan, stateFile: output.layout.inputList)
        return StageRun(output: (), reused: 0, ran: 1)
    }
}
