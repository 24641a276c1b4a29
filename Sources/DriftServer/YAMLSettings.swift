import Yams

/// The YAML layer of the services' configurations: a document of nested mappings whose paths are dotted
/// setting keys (`window.size`, `trigger.cooldown`). Null and empty leaves are skipped.
enum YAMLSettings {
    /// Walks `text`: every scalar leaf reaches `leaf` with its key; `special` sees each mapping and list first
    /// and returns true when it took it (a key with a meaning of its own); a list otherwise reaches `leaf` as its
    /// items comma-separated when `listsAsText`, or is an error.
    static func walk(
        _ text: String, path: String, listsAsText: Bool,
        special: (_ key: String, _ node: Node) throws(ConfigError) -> Bool = { _, _ in false },
        leaf: (_ key: String, _ value: String) throws(ConfigError) -> Void
    ) throws(ConfigError) {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw .invalidFile(path, "\(error)") }
        guard let root else { return }
        guard case .mapping = root else { throw .invalidFile(path, "the document must be a mapping of settings") }
        try walk(root, prefix: "", path: path, listsAsText: listsAsText, special: special, leaf: leaf)
    }

    private static func walk(
        _ node: Node, prefix: String, path: String, listsAsText: Bool,
        special: (String, Node) throws(ConfigError) -> Bool, leaf: (String, String) throws(ConfigError) -> Void
    ) throws(ConfigError) {
        guard let mapping = node.mapping else { return }
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else { throw .invalidFile(path, "a key under '\(prefix)' is not text") }
            let key = prefix.isEmpty ? name : prefix + "." + name
            switch value {
            case .mapping, .sequence:
                if try special(key, value) { continue }
                if case .sequence(let items) = value {
                    guard listsAsText else { throw .invalidValue(key, "\(value)", origin: path, expected: "a single value") }
                    try leaf(key, items.compactMap { $0.scalar?.string }.joined(separator: ","))
                } else {
                    try walk(value, prefix: key, path: path, listsAsText: listsAsText, special: special, leaf: leaf)
                }
            case .scalar(let scalar):
                if scalar.string == "~" || scalar.string == "null" || scalar.string.isEmpty { continue }
                try leaf(key, scalar.string)
            default:
                throw .invalidValue(key, "\(value)", origin: path, expected: "a single value")
            }
        }
    }
}
