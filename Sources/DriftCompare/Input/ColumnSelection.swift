/// The `--columns` / `--exclude` filter on column names.
struct ColumnSelection: Sendable, Equatable {
    /// When set, only these columns are compared.
    var only: Set<String>?
    var excluded: Set<String> = []

    func contains(_ name: String) -> Bool {
        if excluded.contains(name) { return false }
        return only?.contains(name) ?? true
    }
}
