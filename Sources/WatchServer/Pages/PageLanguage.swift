import Foundation

/// The languages of the status pages (`?lang=vi|en`; Vietnamese by default, the regulator's).
public enum PageLanguage: String, Sendable, CaseIterable {
    /// Tiếng Việt, with Vietnamese number format (`99,50 %`).
    case vietnamese = "vi"
    /// English (`99.50%`).
    case english = "en"

    /// A share as a percentage with two decimals: `99,50 %` in Vietnamese, `99.50%` in English.
    func percent(_ share: Double?) -> String {
        guard let share else { return "–" }
        let text = Self.fixed(share * 100, decimals: 2)
        return self == .vietnamese ? text.replacingOccurrences(of: ".", with: ",") + "\u{a0}%" : text + "%"
    }

    /// Milliseconds with one decimal, in the language's number format.
    func milliseconds(_ value: Double?) -> String {
        guard let value else { return "–" }
        let text = Self.fixed(value, decimals: 1)
        return (self == .vietnamese ? text.replacingOccurrences(of: ".", with: ",") : text) + "\u{a0}ms"
    }

    /// `value` rounded half away from zero to `decimals` places, with a point.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        let whole = Int(scaled / scale)
        let fraction = Int(scaled) - whole * Int(scale)
        var digits = String(fraction)
        while digits.count < decimals { digits = "0" + digits }
        return (value < 0 && scaled != 0 ? "-" : "") + String(whole) + (decimals > 0 ? "." + digits : "")
    }

    /// The label of `key` in this language.
    func text(_ key: PageText) -> String {
        switch self {
        case .vietnamese: key.vietnamese
        case .english: key.english
        }
    }
}

/// The fixed texts of the status pages.
enum PageText {
    case title, service, state, availability, lastDays, latency, incidents, noIncidents, open, up, down, unknown
    case since, ended, reason, targets, notFound, unauthorized, period, providers

    var english: String {
        switch self {
        case .title: "Service status"
        case .service: "Service"
        case .state: "Now"
        case .availability: "Availability"
        case .lastDays: "Availability per day"
        case .latency: "p95 latency per day"
        case .incidents: "Incidents"
        case .noIncidents: "No incident in this period."
        case .open: "ongoing"
        case .up: "up"
        case .down: "down"
        case .unknown: "no data"
        case .since: "from"
        case .ended: "to"
        case .reason: "reason"
        case .targets: "targets"
        case .notFound: "Not found."
        case .unauthorized: "A valid token is required."
        case .period: "Period"
        case .providers: "Providers"
        }
    }

    var vietnamese: String {
        switch self {
        case .title: "Trạng thái dịch vụ"
        case .service: "Dịch vụ"
        case .state: "Hiện tại"
        case .availability: "Độ khả dụng"
        case .lastDays: "Độ khả dụng theo ngày"
        case .latency: "Độ trễ p95 theo ngày"
        case .incidents: "Sự cố"
        case .noIncidents: "Không có sự cố trong kỳ."
        case .open: "đang diễn ra"
        case .up: "hoạt động"
        case .down: "gián đoạn"
        case .unknown: "không có dữ liệu"
        case .since: "từ"
        case .ended: "đến"
        case .reason: "nguyên nhân"
        case .targets: "đích đo"
        case .notFound: "Không tìm thấy."
        case .unauthorized: "Cần một mã truy cập hợp lệ."
        case .period: "Kỳ"
        case .providers: "Nhà cung cấp"
        }
    }
}
