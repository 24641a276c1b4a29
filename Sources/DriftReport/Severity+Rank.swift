/// Severities as drift events spell them, ordered for "worst" (RECOVERED ranks with NORMAL).
enum SeverityRank {
    static let names = ["NORMAL", "WARNING", "CRITICAL", "RECOVERED"]

    static func rank(_ severity: String?) -> Int {
        switch severity {
        case "CRITICAL": 2
        case "WARNING": 1
        default: 0
        }
    }

    static func worst(_ severities: [String]) -> String {
        severities.max { rank($0) < rank($1) } ?? "NORMAL"
    }
}
