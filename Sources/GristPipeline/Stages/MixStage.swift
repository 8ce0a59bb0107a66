import GristCore
import GristMix

/// Decides the val split of the sources that take it by tokens (GristMix's `ValTokenSplit`), then how
/// many copies of each kept document go into the shards (`Mixture`: source weights, or shares of
/// `mix.budget_tokens`, by a seeded rule); documents sampled out are dropped with reason `sampled_out`.
/// Cheap and pure, so it is recomputed on every build and stores nothing: its result lives in the shards
/// and the manifest.
struct MixStage: BuildStage {
    static let name = StageName.mix
    static let storesWork = false
    let plan: BuildPlan
    let selection: Selection
    let sampler: DocumentSampler

    /// Not stored: the shards stage's key covers the `mix:` section.
    var key: String { "" }

    /// The selection with every document's split and copies recorded, and the mixture that decided them.
    func run() throws -> StageRun<(selection: Selection, mixture: Mixture)> {
        var selection = selection
        var entries = selection.mixEntries
        let outcomes = ValTokenSplit.apply(plan.valTokenPools, to: &entries, sampler: sampler)
        for warning in warnings(outcomes) { Console.warning(warning) }
        let mixture = Mixture(entries: entries, weights: plan.sources.map(\.config.weight),
                              budget: plan.config.mix.budgetTokens, sampler: sampler)
        selection.apply(mixture)
        return StageRun(output: (selection, mixture), reused: 0, ran: 1)
    }

    /// A pool whose documents all went to val leaves its sources nothing to train on: say so.
    private func warnings(_ outcomes: [ValTokenSplit.Outcome]) -> [String] {
        outcomes.compactMap { outcome in
            guard outcome.availableTokens > 0, outcome.availableTokens <= outcome.pool.tokens else { return nil }
            let names = outcome.pool.sources.map { "\"\(plan.sources[$0].config.name)\"" }.joined(separator: ", ")
            let key = outcome.pool.sources.count == 1 && plan.config.sources[outcome.pool.sources[0]].valTokens != nil
                ? "sources[\(outcome.pool.sources[0])].val_tokens" : "mix.val_tokens"
            let sources = outcome.pool.sources.count == 1 ? "source" : "sources"
            return "\(key) (\(NumberText.grouped(outcome.pool.tokens))) takes every document of \(sources) "
                + "\(names) (\(NumberText.grouped(outcome.availableTokens)) tokens with separators) into the val split: "
                + "none is left for train; lower it"
        }
    }
}
