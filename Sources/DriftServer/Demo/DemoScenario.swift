public import DriftRegistry
import DriftStats
import Yams

/// A drift scenario for `driftwatch demo` (`data/scenarios/*.yaml`): from a share of the replayed rows on,
/// numeric features are shifted or scaled, categories replaced, and the labels follow a new rule (a concept
/// change) or a new class balance (a label shift). Pure: the same rows, seed and scenario give the same stream.
///
/// ```yaml
/// name: concept-drift
/// description: Longer hours now decide the income class; the workforce is older and works longer.
/// start: 0.3                       # share of the replayed rows before the drift
/// features:
///   age: {shift: 8}                # x + 8
///   hours-per-week: {scale: 1.2}   # x × 1.2
///   education: {replace: HS-grad, with: Bachelors, share: 0.5}
/// label:
///   rule: {feature: hours-per-week, at_least: 45, then: ">50K", else: "<=50K", share: 0.9}
///   # or a label shift: prior: {">50K": 0.5}
/// ```
public struct DemoScenario: Sendable, Equatable {
    /// One feature's change.
    public enum Change: Sendable, Equatable {
        case shift(Double)
        case scale(Double)
        case replace(category: String, with: String, share: Double)
    }

    /// A concept change: the label becomes `then` where `feature ≥ threshold`, else `otherwise`, for `share` of the rows.
    public struct Rule: Sendable, Equatable {
        public var feature: String
        public var threshold: Double
        public var then: String
        public var otherwise: String
        public var share: Double
    }

    public var name: String
    public var description: String
    /// The share of the replayed rows before the drift starts.
    public var start: Double
    /// Feature changes, in file order.
    public var changes: [(feature: String, change: Change)]
    public var rule: Rule?
    /// A label shift: the class shares wanted after the drift (rows are dropped to reach them).
    public var prior: [String: Double]

    public static func == (lhs: DemoScenario, rhs: DemoScenario) -> Bool {
        lhs.name == rhs.name && lhs.start == rhs.start && lhs.rule == rhs.rule && lhs.prior == rhs.prior
            && lhs.changes.elementsEqual(rhs.changes) { $0.feature == $1.feature && $0.change == $1.change }
    }

    /// Why a scenario file was refused.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Parses a scenario document.
    public init(yaml text: String, path: String) throws(Invalid) {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw Invalid(reason: "\(path): not YAML: \(error)") }
        guard let mapping = root?.mapping else { throw Invalid(reason: "\(path): the scenario must be a mapping") }
        func scalar(_ node: Node?, _ key: String) -> String? { node?.mapping?[key]?.scalar?.string }
        func number(_ node: Node?, _ key: String, _ context: String) throws(Invalid) -> Double? {
            guard let text = scalar(node, key) else { return nil }
            guard let value = Double(text), value.isFinite else { throw Invalid(reason: "\(path): \(context).\(key) must be a number, got \(text)") }
            return value
        }
        let known: Set<String> = ["name", "description", "start", "features", "label"]
        for key in mapping.keys.compactMap(\.scalar?.string) where !known.contains(key) {
            throw Invalid(reason: "\(path): unknown key \(key) (name, description, start, features, label)")
        }
        name = scalar(root, "name") ?? "scenario"
        description = scalar(root, "description") ?? ""
        start = try number(root, "start", "scenario") ?? 0.3
        guard (0...1).contains(start) else { throw Invalid(reason: "\(path): start must be a share between 0 and 1") }
        changes = []
        if let features = mapping["features"] {
            guard let entries = features.mapping else { throw Invalid(reason: "\(path): features must map feature names to changes") }
            for (key, value) in entries {
                guard let feature = key.scalar?.string else { continue }
                if let shift = try number(value, "shift", "features.\(feature)") {
                    changes.append((feature, .shift(shift)))
                } else if let scale = try number(value, "scale", "features.\(feature)") {
                    changes.append((feature, .scale(scale)))
                } else if let category = scalar(value, "replace"), let replacement = scalar(value, "with") {
                    let share = try number(value, "share", "features.\(feature)") ?? 1
                    guard (0...1).contains(share) else { throw Invalid(reason: "\(path): features.\(feature).share must be between 0 and 1") }
                    changes.append((feature, .replace(category: category, with: replacement, share: share)))
                } else {
                    throw Invalid(reason: "\(path): features.\(feature) needs shift, scale, or replace and with")
                }
            }
        }
        rule = nil
        prior = [:]
        if let label = mapping["label"] {
            if let ruleNode = label.mapping?["rule"] {
                guard let feature = scalar(ruleNode, "feature"), let threshold = try number(ruleNode, "at_least", "label.rule"),
                      let then = scalar(ruleNode, "then"), let otherwise = scalar(ruleNode, "else") else {
                    throw Invalid(reason: "\(path): label.rule needs feature, at_least, then and else")
                }
                let share = try number(ruleNode, "share", "label.rule") ?? 1
                guard (0...1).contains(share) else { throw Invalid(reason: "\(path): label.rule.share must be between 0 and 1") }
                rule = Rule(feature: feature, threshold: threshold, then: then, otherwise: otherwise, share: share)
            }
            if let priorNode = label.mapping?["prior"] {
                guard let entries = priorNode.mapping else { throw Invalid(reason: "\(path): label.prior must map classes to shares") }
                for (key, value) in entries {
                    guard let name = key.scalar?.string, let text = value.scalar?.string, let share = Double(text), share > 0, share <= 1 else {
                        throw Invalid(reason: "\(path): label.prior shares must be in (0, 1]")
                    }
                    prior[name] = share
                }
            }
        }
    }

    /// Applies the scenario to `rows` (in replay order): rows before the start pass unchanged, the others are
    /// changed, relabelled, or dropped to reach the prior. Returns the rows and the index of the first drifted one.
    public func apply(_ rows: [LabelledRow], seed: UInt64 = 7) -> (rows: [LabelledRow], driftStart: Int) {
        var generator = SplitMix64(seed: seed)
        let first = Int((Double(rows.count) * start).rounded())
        var out = Array(rows.prefix(first))
        // Label shift: keep a row of class c with probability target(c) / source(c), scaled so the most kept class keeps all.
        var keep: [String: Double] = [:]
        if !prior.isEmpty {
            var counts: [String: Double] = [:]
            for row in rows { counts[row.label, default: 0] += 1 }
            let total = counts.values.reduce(0, +)
            var raw: [String: Double] = [:]
            for (label, count) in counts { raw[label] = (prior[label] ?? count / total) / (count / total) }
            let top = raw.values.max() ?? 1
            keep = raw.mapValues { $0 / top }
        }
        for var row in rows.dropFirst(first) {
            if let probability = keep[row.label], Double.random(in: 0..<1, using: &generator) >= probability { continue }
            for (feature, change) in changes {
                switch (change, row.features[feature]) {
                case (.shift(let amount), .number(let value)?): row.features[feature] = .number(value + amount)
                case (.scale(let factor), .number(let value)?): row.features[feature] = .number(value * factor)
                case (.replace(let category, let replacement, let share), .text(let value)?) where value == category:
                    if Double.random(in: 0..<1, using: &generator) < share { row.features[feature] = .text(replacement) }
                default: break
                }
            }
            if let rule, Double.random(in: 0..<1, using: &generator) < rule.share, case .number(let value)? = row.features[rule.feature] {
                row.label = value >= rule.threshold ? rule.then : rule.otherwise
            }
            out.append(row)
        }
        return (out, first)
    }
}
