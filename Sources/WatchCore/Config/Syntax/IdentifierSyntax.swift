/// The shape of ids (targets, providers, vantages) and label names.
enum IdentifierSyntax {
    /// `[a-z0-9][a-z0-9._-]*`: safe in file names, URLs and metric labels without escaping.
    static func isValidID(_ text: String) -> Bool {
        guard let first = text.first, isLowerAlphanumeric(first) else { return false }
        return text.allSatisfy { isLowerAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, the Prometheus label-name syntax, since labels become metric labels.
    static func isValidLabelName(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } && !text.hasPrefix("__")
    }

    private static func isLowerAlphanumeric(_ character: Character) -> Bool {
        character.isASCII && (character.isNumber || (character.isLetter && character.isLowercase))
    }
}
