import GristCore
import GristMix

/// Decides how many copies of each kept document go into the shards (GristMix's `Mixture`: source
/// weights, or shares of `mix.budget_tokens`, by a seeded rule); documents sampled out are dropped with
/// reason `sampled_out`. Cheap and pure, so it is recomputed on every build and stores nothing: its
/// result lives in the shards and the manifest.
struct MixStage: BuildStage {
    static let name = StageName.mix
    static let storesWork = false
    let plan: BuildPlan
    let selection: Selection
    let sampler: DocumentSampler

    /// Not stored: the shards stage's key covers the `mix:` section.
    var key: String { "" }

    /// The selection with every document's copies recorded, and the mixture that decided them.
    func run() throws -> StageRun<(selection: Selection, mixture: Mixture)> {
        var selection = selection
        let mixture = Mixture(entries: selection.mixEntries, weights: plan.sources.map(\.config.weight),
                              budget: plan.config.mix.budgetTokens, sampler: sampler)
        selection.apply(mixture)
        return StageRun(output: (selection, mixture), reused: 0, ran: 1)
    }
}
