import GristCore
import GristMix

/// Decides how many copies of each kept train document go into the shards (source weights, or shares
/// of `mix.budget_tokens`), by a seeded rule; documents sampled out are dropped with reason
/// `sampled_out`. Cheap and pure, so it is recomputed on every build and stores nothing: its result
/// lives in the shards and the manifest.
struct MixStage: BuildStage {
    static let name = StageName.mix
    static let storesWork = false
    let selection: Selection

    /// Not stored: the shards stage's key covers the `mix:` section.
    var key: String { "" }

    /// The selection with every document's copies decided, and the plan that decided them.
    func run() throws -> StageRun<(selection: Selection, mix: MixPlan)> {
        var selection = selection
        let mix = selection.mix()
        return StageRun(output: (selection, mix), reused: 0, ran: 1)
    }
}
