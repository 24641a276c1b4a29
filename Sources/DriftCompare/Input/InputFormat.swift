/// The text formats `compare` reads.
public enum InputFormat: String, Sendable, Equatable, CaseIterable {
    /// RFC 4180 CSV with a header row (delimiter `,`, `;` or tab).
    case csv
    /// JSON Lines: one flat JSON object per line.
    case jsonLines = "jsonl"

    /// The format named by the file extension (after removing a `.gz` suffix): `.csv`/`.tsv`/`.txt` → CSV,
    /// `.jsonl`/`.ndjson` → JSON Lines. Any other name is sniffed: a first non-blank byte `{` means
    /// JSON Lines, anything else CSV.
    static func detect(path: String, bytes: [UInt8]) -> InputFormat {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".csv") || name.hasSuffix(".tsv") || name.hasSuffix(".txt") { return .csv }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .jsonLines }
        var index = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
            || bytes[index] == 0x09
        {
            index += 1
        }
        return index < bytes.count && bytes[index] == UInt8(ascii: "{") ? .jsonLines : .csv
    }
}
