/// Where a value sits in the document's structure, written as in messages: `targets[3].http.url`.
struct FieldPath: CustomStringConvertible {
    private var text: String

    /// The document's root.
    static let root = FieldPath(text: "")

    /// The path of the value under `key` of this mapping.
    func key(_ key: String) -> FieldPath {
        FieldPath(text: text.isEmpty ? key : "\(text).\(key)")
    }

    /// The path of the element at `index` of this sequence.
    func index(_ index: Int) -> FieldPath {
        FieldPath(text: "\(text)[\(index)]")
    }

    var description: String { text }
}
