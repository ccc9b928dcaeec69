extension String {
    /// The string as HTML text or attribute value: `&`, `<`, `>`, `"` and `'` as character
    /// references, so that nothing from a configuration or a store can open a tag or leave an
    /// attribute.
    public var htmlEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
