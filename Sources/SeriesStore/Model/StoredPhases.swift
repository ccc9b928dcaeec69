import WatchCore

/// The measured phase timings of one stored result, in microseconds, with a presence bit per phase.
///
/// Inline storage (no heap allocation) so that writing and scanning millions of results stays
/// cheap. Phases are numbered by the store's stable phase code table (``StoredPhases/code(of:)``).
public struct StoredPhases: Sendable, Hashable {
    /// The number of phase codes the format defines.
    public static let phaseCount = 7

    /// Bit `c` set when the phase with code `c` was measured.
    public private(set) var presence: UInt8 = 0
    private var values: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0)

    /// Creates timings with no phase measured.
    public init() {}

    /// The stable code of `phase` in stored files: resolve 0, connect 1, tls 2, processing 3,
    /// transfer 4, request 5, rtt 6. Never renumber; new phases take new codes.
    public static func code(of phase: Phase) -> Int {
        switch phase {
        case .resolve: 0
        case .connect: 1
        case .tls: 2
        case .processing: 3
        case .transfer: 4
        case .request: 5
        case .rtt: 6
        }
    }

    /// The phase a stable code stands for.
    public static func phase(forCode code: Int) -> Phase? {
        switch code {
        case 0: .resolve
        case 1: .connect
        case 2: .tls
        case 3: .processing
        case 4: .transfer
        case 5: .request
        case 6: .rtt
        default: nil
        }
    }

    /// The microseconds of the phase with stable code `code`, or `nil` when not measured.
    public subscript(code code: Int) -> UInt32? {
        get {
            guard code >= 0, code < Self.phaseCount, presence & (1 << code) != 0 else { return nil }
            return withUnsafeBytes(of: values) { $0.load(fromByteOffset: code * 4, as: UInt32.self) }
        }
        set {
            precondition(code >= 0 && code < Self.phaseCount, "phase code out of range")
            if let newValue {
                presence |= 1 << code
                withUnsafeMutableBytes(of: &values) { $0.storeBytes(of: newValue, toByteOffset: code * 4, as: UInt32.self) }
            } else {
                presence &= ~(1 << code)
                withUnsafeMutableBytes(of: &values) { $0.storeBytes(of: 0, toByteOffset: code * 4, as: UInt32.self) }
            }
        }
    }

    /// The microseconds of `phase`, or `nil` when not measured.
    public subscript(phase: Phase) -> UInt32? {
        get { self[code: Self.code(of: phase)] }
        set { self[code: Self.code(of: phase)] = newValue }
    }

    /// Equal when the same phases were measured with the same values.
    public static func == (lhs: StoredPhases, rhs: StoredPhases) -> Bool {
        lhs.presence == rhs.presence
            && withUnsafeBytes(of: lhs.values) { l in withUnsafeBytes(of: rhs.values) { r in l.elementsEqual(r) } }
    }

    /// Hashes the presence mask and the values.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(presence)
        withUnsafeBytes(of: values) { hasher.combine(bytes: $0) }
    }
}
