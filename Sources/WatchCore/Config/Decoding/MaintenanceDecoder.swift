import Foundation
import Yams

extension NodeReader {
    static let maintenanceKeys = [
        "id", "providers", "services", "targets", "start", "end", "duration", "every", "weekdays", "day_of_month",
        "at", "timezone", "not_before", "not_after", "declared_at", "declared_by", "reason",
    ]
    static let recurrenceOnlyKeys = ["every", "weekdays", "day_of_month", "at", "timezone", "not_before", "not_after"]
    static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Decodes one entry of `maintenance:`: a one-off window (`start` and `end` or `duration`) or a
    /// recurring one (`every`, `at`, `duration`, `timezone`).
    mutating func maintenanceWindow(_ field: Field, references: inout [ProviderReference]) -> MaintenanceWindow? {
        guard let fields = fields(of: field, allowed: Self.maintenanceKeys, required: ["id", "declared_at"])
        else { return nil }
        var valid = true
        let id = identifier(fields["id"])
        if id == nil { valid = false }

        let providerList = fields["providers"].map { identifierList($0) } ?? []
        for (provider, element) in providerList ?? [] {
            references.append(ProviderReference(
                provider: provider, location: location(element.node.mark), path: element.path.description))
        }
        let providers = providerList?.map(\.id)
        let services = fields["services"].map { strings($0) } ?? []
        let targets = fields["targets"].map { identifierList($0)?.map(\.id) } ?? []
        if providers == nil || services == nil || targets == nil { valid = false }
        if fields["providers"] == nil, fields["services"] == nil, fields["targets"] == nil {
            report("a window needs a scope; write providers:, services: or targets: (each a list)",
                   path: field.path, mark: field.node.mark)
            valid = false
        }

        let declaredAt = timestamp(fields["declared_at"])
        if fields["declared_at"] != nil, declaredAt == nil { valid = false }
        let declaredBy = fields["declared_by"].flatMap { string($0) }
        let reason = fields["reason"].flatMap { string($0) }

        let schedule: MaintenanceSchedule?
        if let every = fields["every"] {
            schedule = recurringSchedule(every, fields)
        } else {
            schedule = oneOffSchedule(field, fields)
        }
        guard valid, let id, let providers, let services, let targets, let declaredAt, let schedule else { return nil }
        return MaintenanceWindow(
            id: id,
            scope: MaintenanceScope(providers: providers, services: services, targets: targets.map { TargetID($0) }),
            schedule: schedule, declaredAt: declaredAt, declaredBy: declaredBy, reason: reason,
            definedAt: location(fields["id"]?.node.mark))
    }

    private mutating func oneOffSchedule(_ field: Field, _ fields: Fields) -> MaintenanceSchedule? {
        for key in Self.recurrenceOnlyKeys where key != "every" {
            if let misplaced = fields[key] {
                report("\"\(key)\" belongs to a recurring window; add every: daily, weekly or monthly, or remove it",
                       path: misplaced.path, mark: misplaced.keyMark)
                return nil
            }
        }
        guard let startField = fields["start"] else {
            report("missing required key \"start\" (or write every: for a recurring window)",
                   path: field.path.key("start"), mark: field.node.mark)
            return nil
        }
        guard let start = timestamp(startField) else { return nil }
        switch (fields["end"], fields["duration"]) {
        case (.some(let endField), .some(let durationField)):
            report("write either end or duration, not both", path: durationField.path, mark: durationField.keyMark)
            _ = endField
            return nil
        case (.some(let endField), nil):
            guard let end = timestamp(endField) else { return nil }
            guard end > start else {
                report("end \(end) is not after start \(start); write an end after the start", at: endField)
                return nil
            }
            return .once(start: start, end: end)
        case (nil, .some(let durationField)):
            guard let length = positiveDuration(durationField) else { return nil }
            return .once(start: start, end: start.advanced(by: length))
        case (nil, nil):
            report("missing \"end\" or \"duration\"", path: field.path.key("end"), mark: field.node.mark)
            return nil
        }
    }

    private mutating func recurringSchedule(_ every: Field, _ fields: Fields) -> MaintenanceSchedule? {
        var valid = true
        for key in ["start", "end"] {
            if let misplaced = fields[key] {
                report("\"\(key)\" belongs to a one-off window; a recurring window takes at:, duration: and timezone:",
                       path: misplaced.path, mark: misplaced.keyMark)
                valid = false
            }
        }
        let frequency = choice(every, of: MaintenanceRecurrence.Frequency.self)
        var weekdays: [Int] = []
        if let field = fields["weekdays"] {
            if frequency != .weekly {
                report("weekdays apply to every: weekly only", path: field.path, mark: field.keyMark)
                valid = false
            } else if let list = self.weekdays(field) {
                weekdays = list
            } else {
                valid = false
            }
        } else if frequency == .weekly {
            report("missing required key \"weekdays\" for every: weekly, e.g. [sun]", path: every.path, mark: every.node.mark)
            valid = false
        }
        var dayOfMonth: Int?
        if let field = fields["day_of_month"] {
            if frequency != .monthly {
                report("day_of_month applies to every: monthly only", path: field.path, mark: field.keyMark)
                valid = false
            } else {
                dayOfMonth = integer(field, in: 1...31)
                if dayOfMonth == nil { valid = false }
            }
        } else if frequency == .monthly {
            report("missing required key \"day_of_month\" for every: monthly", path: every.path, mark: every.node.mark)
            valid = false
        }
        let time = fields["at"].map { timeOfDay($0) }
        if fields["at"] == nil {
            report("missing required key \"at\" (the wall-clock start, like \"02:00\")", path: every.path,
                   mark: every.node.mark)
        }
        let length = fields["duration"].map { positiveDuration($0) }
        if fields["duration"] == nil {
            report("missing required key \"duration\" for a recurring window, like 2h", path: every.path,
                   mark: every.node.mark)
        }
        let zone = fields["timezone"].map { timeZone($0) } ?? ServiceObjective.defaultTimeZone
        let notBefore = fields["not_before"].map { timestamp($0) }
        let notAfter = fields["not_after"].map { timestamp($0) }
        if case .some(.none) = notBefore { valid = false }
        if case .some(.none) = notAfter { valid = false }
        guard valid, let frequency, let time = time ?? nil, let length = length ?? nil, let zone else { return nil }
        return .recurring(MaintenanceRecurrence(
            frequency: frequency, weekdays: weekdays, dayOfMonth: dayOfMonth, hour: time.hour, minute: time.minute,
            duration: length, timeZone: zone, notBefore: notBefore ?? nil, notAfter: notAfter ?? nil))
    }

    // MARK: - Values

    /// A list of ids (a single id is a list of one), each with its field for messages.
    mutating func identifierList(_ field: Field) -> [(id: String, field: Field)]? {
        guard let elements = listOrSingle(field) else { return nil }
        var ids: [(String, Field)] = []
        var valid = true
        for element in elements {
            if let id = identifier(element) { ids.append((id, element)) } else { valid = false }
        }
        return valid ? ids : nil
    }

    private mutating func listOrSingle(_ field: Field) -> [Field]? {
        if field.node.scalar != nil, !Self.isNull(field.node) { return [field] }
        return elements(of: field)
    }

    /// An RFC 3339 date-time with an offset.
    mutating func timestamp(_ field: Field?) -> Timestamp? {
        guard let field, let text = string(field) else { return nil }
        if let value = Timestamp(rfc3339: text) { return value }
        report("\"\(text)\" is not an RFC 3339 time; write a date, time and offset, like 2027-02-05T01:00+07:00",
               at: field)
        return nil
    }

    /// A duration greater than zero.
    mutating func positiveDuration(_ field: Field) -> Duration? {
        guard let value = duration(field) else { return nil }
        guard value > .zero else {
            report("a window lasts more than 0; write a duration like 30m or 2h", at: field)
            return nil
        }
        return value
    }

    /// An IANA timezone identifier that this system's timezone database knows.
    mutating func timeZone(_ field: Field) -> String? {
        guard let text = string(field) else { return nil }
        if TimeZone(identifier: text) != nil, text.contains("/") || text == "UTC" { return text }
        let known = TimeZone.knownTimeZoneIdentifiers
        let hint = Suggestion.closest(to: text, among: known).map { "did you mean \"\($0)\"?" }
            ?? "write an IANA name like Asia/Ho_Chi_Minh, Europe/Berlin or UTC"
        report("\"\(text)\" is not a known timezone; \(hint)", at: field)
        return nil
    }

    /// `HH:MM` on a 24-hour clock.
    mutating func timeOfDay(_ field: Field) -> (hour: Int, minute: Int)? {
        guard let text = string(field) else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
           (0...23).contains(hour), (0...59).contains(minute)
        {
            return (hour, minute)
        }
        report("\"\(text)\" is not a time of day; write HH:MM on a 24-hour clock, in quotes, like \"02:30\"", at: field)
        return nil
    }

    /// Weekday names (`mon` … `sun`), as ISO numbers 1 … 7.
    mutating func weekdays(_ field: Field) -> [Int]? {
        guard let names = strings(field) else { return nil }
        var days: [Int] = []
        for name in names {
            guard let index = Self.weekdayNames.firstIndex(of: name.lowercased().prefix(3).description),
                  name.count == 3 || Self.fullWeekdayNames.contains(name.lowercased())
            else {
                report("\"\(name)\" is not a weekday; write \(Self.list(Self.weekdayNames))"
                       + Suggestion.didYouMean(name, among: Self.weekdayNames), at: field)
                return nil
            }
            if !days.contains(index + 1) { days.append(index + 1) }
        }
        guard !days.isEmpty else {
            report("a weekly window needs at least one weekday", at: field)
            return nil
        }
        return days.sorted()
    }

    static let fullWeekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
}
