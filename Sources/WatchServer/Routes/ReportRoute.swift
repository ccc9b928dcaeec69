import Reports
import SLAEngine
import SeriesStore
import WatchCore

/// `/api/v1/report`: the reports of `ispwatch report`, computed and rendered the same way
/// (SLAComputation with the documented rules, the Reports renderers), for the caller's providers.
enum ReportRoute {
    static func respond(_ request: ServerRequest, _ context: RouteContext) throws(RouteFailure) -> ServerResponse {
        try request.allowOnly(["format", "from", "to", "period", "at", "timezone", "provider", "group_by", "table", "step"])
        let format = try request.choice("format", of: ["html", "json", "csv", "text"]) ?? "html"
        let zone = request.query["timezone"] ?? ReportPeriod.defaultTimeZone
        let table = try request.choice("table", of: CSVTable.allCases.map(\.rawValue)).flatMap(CSVTable.init(rawValue:))
        if table != nil, format != "csv" { throw .badParameter("table", "chooses the table of format=csv; give format=csv too") }
        let step = try request.choice("step", of: BreakdownUnit.allCases.map(\.rawValue)).flatMap(BreakdownUnit.init(rawValue:))
        let grouping = try groupingDimensions(request.query["group_by"] ?? "provider,service")
        let period = try reportPeriod(request, context: context, timeZone: zone)

        let readers = try context.stores.readers()
        let catalog = Catalog(configuration: context.configuration, readers: readers)
        let providers = try context.providerFilter(request, catalog: catalog)
        let computation = SLAComputation(readers: readers, configuration: context.configuration, period: period,
                                         grouping: grouping, providers: providers)
        let result: SLAResult
        var breakdown: SLABreakdown?
        do throws(SLAComputationError) {
            result = try computation.run()
            let unit = step ?? (period.from.duration(to: period.to) < .seconds(3 * 86_400) ? .hour : .day)
            if format == "html" {
                // The charts are per provider, whatever the tables are grouped by (as `ispwatch report`).
                var byProvider = computation
                byProvider.grouping = [.provider]
                breakdown = try byProvider.breakdown(by: unit)
            } else if format == "csv", table == .daily {
                breakdown = try computation.breakdown(by: step ?? .day)
            }
        } catch {
            if case .store = error { throw RouteFailure(status: 503, message: error.description) }
            throw .badParameter("timezone", error.description)
        }
        let names = Dictionary(context.configuration.providers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        switch format {
        case "json":
            do {
                return .text(try JSONReport.render(result), contentType: "application/json; charset=utf-8")
            } catch {
                throw RouteFailure(status: 500, message: "the report could not be encoded: \(error)")
            }
        case "csv":
            return .text(CSVReport(result: result, breakdown: breakdown).render(table ?? .groups), contentType: "text/csv; charset=utf-8")
        case "text":
            return .text(TextReport(result: result, providerNames: names).render())
        default:
            let methodology = methodology(of: result, configuration: context.configuration, readers: readers, providers: providers)
            return .html(HTMLReport(result: result, breakdown: breakdown, methodology: methodology, providerNames: names).render())
        }
    }

    /// `from`/`to` (an event window) or `period` with an optional `at` (a calendar period).
    private static func reportPeriod(_ request: ServerRequest, context: RouteContext, timeZone: String) throws(RouteFailure)
        -> ReportPeriod
    {
        let unit = try request.choice("period", of: CalendarPeriodUnit.allCases.map(\.rawValue)).flatMap(CalendarPeriodUnit.init(rawValue:))
        let at = try request.timestamp("at")
        if unit != nil, request.query["from"] != nil || request.query["to"] != nil {
            throw .badParameter("period", "give either from and to, or period, not both")
        }
        if unit == nil, at != nil { throw .badParameter("at", "chooses the calendar period of period=; give period too") }
        let window = unit == nil
            ? try request.timeRange(now: context.now, defaultLength: .seconds(86_400), longest: .seconds(400 * 86_400)) : nil
        do throws(SLAComputationError) {
            if let unit { return try ReportPeriod.calendar(unit, containing: at ?? context.now, timeZone: timeZone) }
            return try ReportPeriod.window(from: window!.from, to: window!.to, timeZone: timeZone)
        } catch {
            throw .badParameter("timezone", error.description)
        }
    }

    private static func groupingDimensions(_ text: String) throws(RouteFailure) -> [GroupingDimension] {
        var dimensions: [GroupingDimension] = []
        for name in text.split(separator: ",") {
            guard let dimension = GroupingDimension(rawValue: String(name)) else {
                let known = GroupingDimension.allCases.map(\.rawValue).joined(separator: ", ")
                throw .badParameter("group_by", "unknown dimension \"\(name)\"; use \(known)")
            }
            dimensions.append(dimension)
        }
        guard !dimensions.isEmpty else { throw .badParameter("group_by", "give one or more dimensions") }
        return dimensions
    }

    /// The configured targets of the report's providers; without any, the probe kinds of the stores'
    /// target series (as `ispwatch report` states its methodology).
    private static func methodology(
        of result: SLAResult, configuration: Configuration, readers: [StoreReader], providers: Set<String>?
    ) -> Methodology {
        let targets = configuration.targets.filter { providers?.contains($0.provider) ?? true }
        var storedKinds: [ProbeKind: Int] = [:]
        for reader in readers {
            for entry in reader.series.values where entry.metadata.labels[SeriesRole.labelName] == nil
                && providers?.contains(entry.metadata.provider) ?? true
            {
                if let kind = entry.metadata.kind { storedKinds[kind, default: 0] += 1 }
            }
        }
        return Methodology(targets: targets, storedKinds: storedKinds, vantages: result.vantages.map(\.id))
    }
}
