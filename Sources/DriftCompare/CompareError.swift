/// Everything `driftwatch compare` reports as a user error: a bad input file or a bad option.
///
/// `description` is the message printed on stderr; messages about a file start with `path:line:`
/// (line numbers count physical lines, 1-based, in the decompressed text; a quoted CSV field spanning
/// lines is reported at the line where the offending field or record starts).
public enum CompareError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input file does not exist.
    case fileNotFound(path: String)
    /// The file exists but could not be read (permissions, a directory, an I/O error).
    case unreadable(path: String, reason: String)
    /// The file has no bytes, or nothing but whitespace (after decompression).
    case emptyFile(path: String)
    /// The file has a header (CSV) but no data rows.
    case noDataRows(path: String)
    /// A gzip stream that zlib could not inflate.
    case corruptGzip(path: String, reason: String)
    /// Inputs of 4 GiB or more (after decompression) are not supported.
    case fileTooLarge(path: String, bytes: Int)
    /// A syntax error: an unterminated quote, invalid JSON, a nested JSON value...
    case malformed(path: String, line: Int, reason: String)
    /// A CSV record with a different number of fields than the header.
    case raggedRow(path: String, line: Int, expected: Int, found: Int)
    /// A header naming the same column twice.
    case duplicateColumn(path: String, name: String)
    /// A value that is not a number in a column forced numeric with `--numeric`.
    case nonNumericValue(path: String, line: Int, column: String, value: String)
    /// After filtering, the two inputs share no column.
    case noCommonColumns(referencePath: String, reference: [String], currentPath: String, current: [String])
    /// A column named in an option (`--columns`, `--exclude`, `--numeric`, `--categorical`) that does not exist.
    case unknownColumn(option: String, name: String, available: [String])
    /// An option value out of range or contradictory.
    case invalidOption(String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .emptyFile(let path):
            return "\(path): the file is empty"
        case .noDataRows(let path):
            return "\(path): the file has a header but no data rows"
        case .corruptGzip(let path, let reason):
            return "\(path): corrupt gzip data: \(reason)"
        case .fileTooLarge(let path, let bytes):
            return "\(path): \(bytes) bytes after decompression; inputs of 4 GiB or more are not supported"
        case .malformed(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .raggedRow(let path, let line, let expected, let found):
            return "\(path):\(line): expected \(expected) fields (as in the header), found \(found)"
        case .duplicateColumn(let path, let name):
            return "\(path):1: the header names column '\(name)' twice"
        case .nonNumericValue(let path, let line, let column, let value):
            return "\(path):\(line): column '\(column)' is numeric (--numeric) but has the value '\(value)'"
        case .noCommonColumns(let referencePath, let reference, let currentPath, let current):
            return """
                no common columns to compare
                  reference \(referencePath): \(Self.list(reference))
                  current   \(currentPath): \(Self.list(current))
                """
        case .unknownColumn(let option, let name, let available):
            return "\(option): no column named '\(name)' (available: \(Self.list(available)))"
        case .invalidOption(let message):
            return message
        }
    }

    private static func list(_ names: [String]) -> String {
        names.isEmpty ? "(none)" : names.joined(separator: ", ")
    }
}
