public import DriftCompare

extension TrainingTable {
    /// The columns of a CSV or JSON Lines file: a column whose present values all parse as numbers is
    /// numeric, any other categorical; missing markers (`?`, empty, `NA`, …) are missing values.
    /// `excluding` names columns left out (an id column, the target).
    public init(_ data: DataTable, excluding: Set<String> = []) throws(LearnError) {
        var columns: [(name: String, values: FeatureValues)] = []
        for name in data.columnNames where !excluding.contains(name) {
            do {
                if let numbers = try data.numbers(name) {
                    columns.append((name, .numeric(numbers)))
                } else {
                    columns.append((name, .categorical(try data.strings(name))))
                }
            } catch {
                throw .invalidInput("column \(name): \(error)")
            }
        }
        try self.init(columns)
    }

    /// A file's target column as class names, and the rows that have one (rows with a missing target are
    /// left out of training and evaluation).
    public static func labels(_ data: DataTable, target: String) throws(LearnError) -> (labels: [String], rows: [Int]) {
        guard data.columnNames.contains(target) else {
            throw .invalidInput("the target column \(target) is not in \(data.path) (columns: \(data.columnNames.joined(separator: ", ")))")
        }
        let values: [String?]
        do { values = try data.strings(target) } catch { throw .invalidInput("target \(target): \(error)") }
        var labels: [String] = []
        var rows: [Int] = []
        for (row, value) in values.enumerated() {
            guard let value else { continue }
            labels.append(value)
            rows.append(row)
        }
        return (labels, rows)
    }
}
