@testable import GristReport
import Testing

@Suite struct ChartPaletteTests {
    /// The "redmean" approximation of how far apart two colours look (0 … about 765).
    private func distance(_ a: ChartPalette.Colour, _ b: ChartPalette.Colour) -> Double {
        let meanRed = (Double(a.red) + Double(b.red)) / 2
        let dr = Double(a.red) - Double(b.red), dg = Double(a.green) - Double(b.green), db = Double(a.blue) - Double(b.blue)
        return ((2 + meanRed / 256) * dr * dr + 4 * dg * dg + (2 + (255 - meanRed) / 256) * db * db).squareRoot()
    }

    @Test(arguments: 1...20) func givesDistinctColoursToEverySeries(count: Int) {
        for dark in [false, true] {
            let colours = (0..<count).map { ChartPalette.colour($0, dark: dark) }
            #expect(Set(colours.map(\.hex)).count == count)
            #expect(!colours.contains { $0.hex == "#000000" })
            for i in colours.indices {
                for j in colours.indices where j > i {
                    #expect(distance(colours[i], colours[j]) > 50, "series \(i + 1) and \(j + 1) look alike (dark: \(dark))")
                }
            }
        }
    }

    @Test func staysDistinctFarPastTwenty() {
        #expect(Set((0..<200).map { ChartPalette.colour($0).hex }).count == 200)
    }

    @Test func isTheSameOnEveryRun() {
        // Fixed colours first, then golden-angle hues: pinned, so a report reads the same next year.
        #expect((0..<3).map { ChartPalette.colour($0).hex } == ["#3b6fd4", "#e0813a", "#3a9d5d"])
        #expect(ChartPalette.colour(0, dark: true).hex == "#7aa2f7")
        #expect(ChartPalette.colour(10).hex == "#17cf26")
        #expect(ChartPalette.colour(11).hex == "#411093")
        #expect(ChartPalette.colour(19).hex == "#9917cf")
        #expect((0..<50).map { ChartPalette.colour($0).hex } == (0..<50).map { ChartPalette.colour($0).hex })
    }

    @Test func writesAClassAndAVariablePerSeries() {
        let css = ChartPalette.css(count: 12)
        #expect(css.contains("--c12: \(ChartPalette.colour(11).hex);"))
        #expect(css.contains("--c12: \(ChartPalette.colour(11, dark: true).hex);"))
        #expect(css.contains("svg .c12 { fill: var(--c12); }") && css.contains("svg .l12 { stroke: var(--c12);"))
        #expect(!css.contains("--c13"))
    }
}

@Suite struct ChartLayoutTests {
    private static let sources = (1...12).map { "source-number-\($0)-of-the-mix" }

    @Test func legendWrapsOntoRowsWithinTheWidth() {
        let legend = ChartLegend(names: Self.sources, width: 760)
        #expect(legend.rows > 1)
        #expect(legend.entries.map(\.name) == Self.sources)
        #expect(legend.height == Double(legend.rows) * ChartLegend.rowHeight)
        for entry in legend.entries {
            #expect(entry.shown == entry.name)
            #expect(entry.x + 14 + TextWidth.of(entry.shown, fontSize: ChartLegend.fontSize) <= 760)
        }
        // Rows fill left to right: each row starts at 0, and entries of a row move right.
        for (a, b) in zip(legend.entries, legend.entries.dropFirst()) {
            #expect(b.row == a.row && b.x > a.x || b.row == a.row + 1 && b.x == 0)
        }
        #expect(ChartLegend(names: ["a", "b"], width: 760).rows == 1)
        #expect(ChartLegend(names: [], width: 760).rows == 0)
    }

    @Test func legendCutsANameWiderThanARow() {
        let long = String(repeating: "very long source name ", count: 20)
        let legend = ChartLegend(names: ["short", long], width: 300)
        let entry = legend.entries[1]
        #expect(entry.shown.hasSuffix("…") && entry.shown.count < long.count)
        #expect(entry.row == 1 && 14 + TextWidth.of(entry.shown, fontSize: ChartLegend.fontSize) <= 300)
        // The whole name is in a tooltip and in the entry's data-series.
        let svg = legend.svg(left: 0, top: 24)
        #expect(svg.contains("<title>\(long)</title>") && svg.contains("data-series=\"\(long)\""))
    }

    @Test func chartsGrowWithTheirLegendsWhichSitUnderTheTitle() throws {
        func chart(_ names: [String]) -> String {
            SVGCharts.bars(.init(title: "Documents kept after each stage, per source", unit: "documents",
                                 rows: ["read", "kept"], series: names.map { ($0, [3, 2]) }, label: { "\(Int($0))" }))
        }
        func height(_ svg: String) throws -> Double {
            let viewBox = try #require(svg.split(separator: "viewBox=\"").dropFirst().first?.split(separator: "\"").first)
            return try #require(Double(viewBox.split(separator: " ")[3]))
        }
        let few = chart(Array(Self.sources.prefix(2))), many = chart(Self.sources)
        let rows = ChartLegend(names: Self.sources, width: SVGCharts.width).rows
        #expect(try height(many) > height(few) + Double(rows - 1) * ChartLegend.rowHeight)
        #expect(many.components(separatedBy: "<g class=\"entry\"").count - 1 == 12)
        // The title's baseline is at 16; the legend's first swatch starts below it.
        #expect(many.contains("<text class=\"title\" x=\"0.0\" y=\"16.0\""))
        #expect(many.contains("<rect class=\"c1\" fill=\"#3b6fd4\" x=\"0.0\" y=\"28.0\""))
        // Every series has its own colour, the twelfth too.
        #expect(many.contains("class=\"c12\" fill=\"\(ChartPalette.colour(11).hex)\""))
        // One series: no legend.
        #expect(!chart(["only"]).contains("class=\"legend\""))
    }

    @Test func barLabelsGetAColumnAsWideAsTheLongest() {
        let reason = "gopher_repetition: duplicated_10_n_grams"
        let svg = SVGCharts.bars(.init(title: "Removed", unit: "documents", rows: ["a", reason],
                                       series: [("documents", [1, 2])], label: { "\(Int($0))" }))
        #expect(svg.contains(">\(reason)</text>"))  // whole, no tooltip
        // The label ends 8 units left of the bars, which start past its estimated width.
        let width = TextWidth.of(reason, fontSize: 12)
        #expect(svg.contains("<rect class=\"c1\" fill=\"#3b6fd4\" x=\"\(SVGCharts.f(width + 12))\""))

        let huge = String(repeating: "a very long reason ", count: 30)
        let cut = SVGCharts.bars(.init(title: "Removed", unit: "documents", rows: [huge],
                                       series: [("documents", [1])], label: { "\(Int($0))" }))
        #expect(cut.contains("<title>\(huge)</title>") && cut.contains("…</text>"))
        #expect(cut.contains("x=\"\(SVGCharts.f(SVGCharts.maxLabelWidth + 12))\""))
    }

    @Test func textWidthEstimatesErrWide() {
        // DejaVu Sans at 12 px draws "gopher_quality: below_alpha_threshold" about 240 px wide.
        #expect(TextWidth.of("gopher_quality: below_alpha_threshold", fontSize: 12) >= 240)
        #expect(TextWidth.of("日本語", fontSize: 10) >= 30)
        #expect(TextWidth.fitting("short", width: 100, fontSize: 12) == "short")
        #expect(TextWidth.of(TextWidth.fitting(String(repeating: "w", count: 100), width: 100, fontSize: 12), fontSize: 12) <= 100)
    }

    @Test func exactDuplicatesHaveTheirOwnSimilarityRow() {
        #expect(HTMLReport.similarityLabel(twentieth: 20) == "1.00 (exact)")
        #expect(HTMLReport.similarityLabel(twentieth: 19) == "0.95–1.00")
        #expect(HTMLReport.similarityLabel(twentieth: 16) == "0.80–0.85")
        #expect(HTMLReport.similarityLabel(twentieth: 0) == "0.00–0.05")
    }

    @Test func lineChartsHaveALegendEntryPerSeriesEvenOne() {
        let one = SVGCharts.lines(title: "Training loss", xLabel: "step", yLabel: "loss",
                                  series: [.init(name: "run 1", points: [(1, 3), (2, 2.5)], marks: [(2, 2.7)], marksName: "val")])
        #expect(one.contains("data-series=\"run 1\""))
        #expect(one.contains("stroke-dasharray") == false)  // one mark: a dot, no dashed line
        #expect(one.contains("<title>run 1 · val at 2: 2.700</title>"))
    }
}
