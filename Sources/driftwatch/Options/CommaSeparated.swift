/// Repeatable options that also take comma-separated lists (`--exclude a,b --exclude c`), read alike by
/// every command.
enum CommaSeparated {
    /// The names given, empty items dropped.
    static func items(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .filter { !$0.isEmpty }
    }

    /// Missing-value markers: an empty item is a marker too (the empty field).
    static func markers(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }
}
