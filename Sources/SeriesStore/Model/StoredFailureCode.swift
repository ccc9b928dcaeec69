import WatchCore

/// The stable one-byte codes of failure reasons in stored files.
///
/// `FailureReason.allCases` order is not a storage contract (cases are added inside groups), so the
/// store keeps its own table. Code 0 means "no reason". Never renumber; a new reason takes the next
/// free code. A code this build does not know reads back as `nil` reason with the raw code kept.
public enum StoredFailureCode {
    /// The code table, in code order starting at 1. Append only.
    static let table: [FailureReason] = [
        .resolveFailed, .resolveTimeout,                                         // 1, 2
        .tcpRefused, .tcpTimeout, .networkUnreachable, .connectionReset,         // 3 … 6
        .tlsHandshake, .tlsTimeout, .tlsExpired, .tlsCertificateInvalid,         // 7 … 10
        .httpTimeout, .transferTimeout, .httpStatus, .httpProtocol,              // 11 … 14
        .bodyMismatch, .headerMismatch, .bodyTooLarge, .tooManyRedirects,        // 15 … 18
        .dnsTimeout, .dnsServfail, .dnsNXDomain, .dnsRefused, .dnsRcode,         // 19 … 23
        .dnsMismatch, .dnsMalformed,                                             // 24, 25
        .icmpTimeout, .icmpLoss, .icmpUnreachable,                               // 26 … 28
        .proberError,                                                            // 29
    ]

    private static let codes: [FailureReason: UInt8] = {
        var codes: [FailureReason: UInt8] = [:]
        for (index, reason) in table.enumerated() { codes[reason] = UInt8(index + 1) }
        return codes
    }()

    /// The stored code of `reason` (0 for `nil`).
    public static func code(of reason: FailureReason?) -> UInt8 {
        guard let reason else { return 0 }
        guard let code = codes[reason] else {
            preconditionFailure("FailureReason.\(reason) has no stored code: add it to StoredFailureCode.table")
        }
        return code
    }

    /// The reason a stored code stands for, or `nil` for 0 and for codes this build does not know.
    public static func reason(forCode code: UInt8) -> FailureReason? {
        guard code >= 1, Int(code) <= table.count else { return nil }
        return table[Int(code) - 1]
    }
}
