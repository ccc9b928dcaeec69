import SLAEngine
import Testing
import WatchCore

@Suite struct ObjectiveTests {
    private static let day = 1_440

    private func pattern(down: Int, unknown: Int = 0) -> String {
        String(repeating: "D", count: down) + String(repeating: "?", count: unknown)
            + String(repeating: "U", count: Self.day - down - unknown)
    }

    private func evaluate(_ pattern: String, _ objective: ServiceObjective) -> ObjectiveEvaluation {
        HandBuilt.account([HandBuilt.series(pattern)], objectives: [objective]).objectives[0]
    }

    @Test func theErrorBudgetOfADayAtNinetyNinePointFivePercentIsSevenPointTwoMinutes() {
        // 1440 counted minutes × 0.5 % = 7.2 min = 432 s; 10 DOWN minutes spend 600 s of it.
        let evaluation = evaluate(pattern(down: 10), ServiceObjective(id: "o", provider: "vnpt", availability: 0.995, period: .day))
        #expect(evaluation.budget == .milliseconds(432_000))
        #expect(evaluation.spent == .seconds(600))
        #expect(evaluation.left == .seconds(-168))
        #expect(abs(evaluation.spentShare! - 600.0 / 432.0) < 1e-12)
        #expect(evaluation.availability.adjusted == 1_430.0 / 1_440.0)
        #expect(evaluation.verdict == .fail)
        #expect(evaluation.periodAligned)
        #expect(evaluation.reliability.incidents == 1)
        #expect(evaluation.reliability.longestOutage == .seconds(600))
    }

    @Test func withinTheBudgetPasses() {
        let evaluation = evaluate(pattern(down: 7), ServiceObjective(id: "o", provider: "vnpt", availability: 0.995))
        #expect(evaluation.verdict == .pass)
        #expect(evaluation.left == .milliseconds(12_000))
        #expect(evaluation.periodAligned == false)   // a day computed against a monthly objective
    }

    @Test func unknownTimeShrinksTheBudgetAndLowCoverageGivesNoVerdict() {
        // 144 UNKNOWN minutes: 1296 counted, budget 6.48 min; coverage 90 % exactly still judges.
        let judged = evaluate(pattern(down: 2, unknown: 144), ServiceObjective(id: "o", provider: "vnpt", availability: 0.995))
        #expect(judged.budget == .milliseconds(388_800))
        #expect(judged.availability.coverage == 0.9)
        #expect(judged.verdict == .pass)
        let unjudged = evaluate(pattern(down: 2, unknown: 145), ServiceObjective(id: "o", provider: "vnpt", availability: 0.995))
        #expect(unjudged.verdict == .insufficientData)
    }

    @Test func anObjectiveCoversOnlyItsProviderAndService() {
        let series = [
            HandBuilt.series(pattern(down: 20), target: "vnpt-dns", provider: "vnpt", service: "dns"),
            HandBuilt.series(pattern(down: 0), target: "vnpt-web", provider: "vnpt", service: "portal"),
            HandBuilt.series(pattern(down: 100), target: "fpt-dns", provider: "fpt", service: "dns"),
        ]
        let objectives = [
            ServiceObjective(id: "dns", provider: "vnpt", service: "dns", availability: 0.99),
            ServiceObjective(id: "all", provider: "vnpt", availability: 0.99),
        ]
        let evaluations = HandBuilt.account(series, objectives: objectives).objectives
        #expect(evaluations.map(\.units) == [1, 2])
        #expect(evaluations.map(\.availability.slices.down) == [20, 20])
        #expect(evaluations.map(\.verdict) == [.fail, .pass])
    }
}
