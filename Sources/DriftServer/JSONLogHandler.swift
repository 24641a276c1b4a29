import DriftContracts
import DriftJSON
import Foundation
public import Logging

/// A swift-log handler writing one JSON object per line to standard error: `ts` (RFC 3339, UTC), `level`,
/// `logger`, `message` and the metadata as string members — what log shippers (Loki, Fluent Bit, Vector)
/// parse without configuration.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var members: [(String, JSONValue)] = [
            ("ts", .string(EventTimestamp.format(Int64(Date().timeIntervalSince1970 * 1_000)))), ("level", .string(event.level.rawValue)), ("logger", .string(label)),
            ("message", .string(event.message.description)),
        ]
        let merged = self.metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { members.append((key, .string(value.description))) }
        let line = JSONValue.object(members).serialized() + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
