/// What figures can be grouped by.
public enum GroupingDimension: String, Sendable, Hashable, CaseIterable, Comparable {
    case provider, service, target, vantage, region

    /// In declaration order, so that group keys read the same whatever order they were asked in.
    public static func < (lhs: GroupingDimension, rhs: GroupingDimension) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The values of a group's dimensions, e.g. `provider=vnpt service=dns`; empty for the one group
/// of everything.
public struct GroupKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// (dimension, value) pairs in dimension order.
    public var fields: [Field]

    /// One dimension's value.
    public struct Field: Sendable, Hashable {
        /// The dimension.
        public var dimension: GroupingDimension
        /// Its value for this group (empty when the series have none, e.g. no region).
        public var value: String

        /// Creates a field.
        public init(dimension: GroupingDimension, value: String) {
            self.dimension = dimension
            self.value = value
        }
    }

    /// Creates a key; fields are put in dimension order.
    public init(fields: [Field]) {
        self.fields = fields.sorted { $0.dimension < $1.dimension }
    }

    /// The value of `dimension`, when the key has it.
    public subscript(dimension: GroupingDimension) -> String? {
        fields.first { $0.dimension == dimension }?.value
    }

    /// `provider=vnpt service=dns`, or `all` for the empty key.
    public var description: String {
        fields.isEmpty ? "all" : fields.map { "\($0.dimension.rawValue)=\($0.value)" }.joined(separator: " ")
    }

    /// Orders by the values in dimension order.
    public static func < (lhs: GroupKey, rhs: GroupKey) -> Bool {
        lhs.fields.map(\.value).lexicographicallyPrecedes(rhs.fields.map(\.value))
    }
}
