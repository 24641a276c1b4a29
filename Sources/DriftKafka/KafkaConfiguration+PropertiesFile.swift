extension KafkaConfiguration {
    /// Parses a Java-style client properties file (`key=value` or `key: value` per line, `#` and `!`
    /// comments), the format Kafka's own tools take with `--command-config`.
    ///
    /// `bootstrap.servers` fills `bootstrapServers` (empty if absent, for a caller to fill in); every other
    /// key goes to `properties` unchanged. Nothing is validated here: call `validate(for:)`.
    public init(propertiesFileContents text: String) {
        var properties: [String: String] = [:]
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            guard let first = line.first, first != "#", first != "!" else { continue }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = line[..<separator].trimmingCharacters(in: " \t")
            let value = line[line.index(after: separator)...].trimmingCharacters(in: " \t")
            if !key.isEmpty { properties[key] = value }
        }
        let servers = properties.removeValue(forKey: "bootstrap.servers") ?? ""
        self.init(bootstrapServers: servers, properties: properties)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in characters: String) -> String {
        let set = Set(characters)
        guard let start = firstIndex(where: { !set.contains($0) }),
              let end = lastIndex(where: { !set.contains($0) }) else { return "" }
        return String(self[start...end])
    }
}
