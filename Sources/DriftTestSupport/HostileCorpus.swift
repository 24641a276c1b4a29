import Foundation

/// Classes of bad events, each with the dead-letter reason a monitor must give it: truncated and malformed JSON,
/// deep nesting, huge numbers, `NaN` / `Infinity` literals, duplicate keys, wrong types at every field, invalid
/// UTF-8, oversize payloads, 10,000 features, empty names, negative and far-future timestamps, probabilities that
/// do not sum to one, unknown models and versions, models refused by a limit — on the inference and the feedback
/// topic. Tests push them through the decoders and through a running monitor.
public enum HostileCorpus {
    /// One class: a name (used as the Kafka key `hostile:<name>`), the topic kind, the payload, and the
    /// expected `reason` of its dead-letter record.
    public struct Case: Sendable {
        public var name: String
        /// `inference` or `feedback`.
        public var topic: String
        public var payload: [UInt8]
        public var reason: String

        public init(name: String, topic: String, payload: [UInt8], reason: String) {
            self.name = name
            self.topic = topic
            self.payload = payload
            self.reason = reason
        }

        /// The Kafka key the tests give it, to find its dead letter.
        public var key: String { "hostile:\(name)" }
    }

    /// Where the corpus's events point.
    public struct Context: Sendable {
        /// A model and version the monitor watches.
        public var model = "credit-risk"
        public var version = "1"
        /// A model whose profile the monitor refused by a limit (`limits.max_models`).
        public var overLimitModel = "over-limit"
        /// A valid event time (epoch ms), and the monitor's clock (for timestamps beyond its future skew).
        public var timestamp: Int64
        public var now: Int64
        /// The monitor's payload limit (the oversize class exceeds it by a quarter).
        public var maximumPayloadBytes = 1 << 20

        public init(timestamp: Int64, now: Int64) {
            self.timestamp = timestamp
            self.now = now
        }
    }

    /// Every class, in a fixed order.
    public static func cases(_ context: Context) -> [Case] {
        let m = context.model
        let v = context.version
        let t = context.timestamp
        func event(
            id: String = "hostile", model: String? = nil, version: String? = nil, timestamp: String? = nil, features: String = #"{"f00": 0.5, "c0": "a"}"#,
            prediction: String = #"{"label": "1", "probabilities": {"0": 0.3, "1": 0.7}}"#, extra: String = ""
        ) -> String {
            #"{"event_id": "\#(id)", "model_id": "\#(model ?? m)", "model_version": "\#(version ?? v)", "timestamp": \#(timestamp ?? String(t)), "features": \#(features), "prediction": \#(prediction)\#(extra)}"#
        }
        let valid = event()
        var cases: [Case] = []
        func add(_ name: String, _ reason: String, _ text: String, topic: String = "inference") {
            cases.append(Case(name: name, topic: topic, payload: Array(text.utf8), reason: reason))
        }
        func addBytes(_ name: String, _ reason: String, _ bytes: [UInt8], topic: String = "inference") {
            cases.append(Case(name: name, topic: topic, payload: bytes, reason: reason))
        }
        func spliced(_ text: String, inserting bytes: [UInt8], after marker: String) -> [UInt8] {
            let utf8 = Array(text.utf8)
            guard let end = utf8.firstRange(of: Array(marker.utf8))?.upperBound else { return utf8 }
            return Array(utf8[..<end]) + bytes + Array(utf8[end...])
        }

        // Syntax.
        add("truncated_object", "malformed_json", String(valid.prefix(valid.count / 2)))
        add("truncated_in_string", "malformed_json", #"{"event_id": "hos"#)
        add("truncated_after_colon", "malformed_json", #"{"event_id":"#)
        add("empty_payload", "malformed_json", "")
        add("whitespace_only", "malformed_json", "   \n\t ")
        add("plain_text", "malformed_json", "this is not JSON")
        add("trailing_garbage", "malformed_json", valid + " garbage")
        add("two_objects", "malformed_json", valid + valid)
        add("trailing_comma", "malformed_json", String(valid.dropLast()) + ",}")
        add("single_quotes", "malformed_json", "{'event_id': 'x'}")
        add("unquoted_key", "malformed_json", #"{event_id: "x"}"#)
        add("leading_zero_number", "malformed_json", event(features: #"{"f00": 0123}"#))
        add("invalid_escape", "malformed_json", event(id: #"bad\xescape"#))
        add("nan_literal", "malformed_json", event(features: #"{"f00": NaN}"#))
        add("infinity_literal", "malformed_json", event(features: #"{"f00": Infinity}"#))
        add("negative_infinity_literal", "malformed_json", event(features: #"{"f00": -Infinity}"#))
        add("deep_nesting_in_unknown_field", "malformed_json", event(extra: #", "x": "# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)))
        add("deep_nesting_100k", "malformed_json", #"{"a": "# + String(repeating: "[", count: 100_000))
        add("lone_surrogate_escape", "malformed_json", event(id: #"\ud800"#))
        addBytes("byte_order_mark", "malformed_json", [0xEF, 0xBB, 0xBF] + Array(valid.utf8))
        addBytes("nul_byte", "malformed_json", spliced(valid, inserting: [0x00], after: #"{"event_id": "hos"#))
        addBytes("unescaped_control_character", "malformed_json", spliced(valid, inserting: [0x01], after: #"{"event_id": "hos"#))
        addBytes("invalid_utf8_in_value", "malformed_json", spliced(valid, inserting: [0xFF, 0xFE], after: #"{"event_id": "hos"#))
        addBytes("invalid_utf8_in_key", "malformed_json", spliced(valid, inserting: [0xC3], after: #""features": {"f0"#))
        addBytes("overlong_utf8", "malformed_json", spliced(valid, inserting: [0xC0, 0xAF], after: #"{"event_id": "hos"#))
        addBytes("truncated_utf8_sequence", "malformed_json", spliced(valid, inserting: [0xE2, 0x82], after: #"{"event_id": "hos"#))

        // Shape and types.
        add("top_level_array", "wrong_type", "[1, 2, 3]")
        add("top_level_string", "wrong_type", #""an event""#)
        add("top_level_number", "wrong_type", "42")
        add("top_level_null", "wrong_type", "null")
        add("event_id_number", "wrong_type", #"{"event_id": 7, "model_id": "\#(m)", "model_version": "\#(v)", "timestamp": \#(t), "features": {}, "prediction": {"label": "1"}}"#)
        add("model_id_number", "wrong_type", event(extra: "").replacingOccurrences(of: #""model_id": "\#(m)""#, with: #""model_id": 12"#))
        add("model_version_object", "wrong_type", event().replacingOccurrences(of: #""model_version": "\#(v)""#, with: #""model_version": {"v": 1}"#))
        add("timestamp_bool", "wrong_type", event(timestamp: "true"))
        add("features_array", "wrong_type", event(features: "[0.5, 1]"))
        add("feature_object_value", "wrong_type", event(features: #"{"f00": {"x": 1}}"#))
        add("feature_array_value", "wrong_type", event(features: #"{"f00": [1]}"#))
        add("feature_bool_value", "wrong_type", event(features: #"{"f00": true}"#))
        add("prediction_string", "wrong_type", event(prediction: #""1""#))
        add("probabilities_array", "wrong_type", event(prediction: #"{"probabilities": [0.3, 0.7]}"#))
        add("probability_string", "wrong_type", event(prediction: #"{"probabilities": {"0": "0.3", "1": 0.7}}"#))
        add("latency_string", "wrong_type", event(extra: #", "latency_ms": "fast""#))
        add("shadow_string", "wrong_type", event(extra: #", "shadow": "yes""#))
        add("label_object", "wrong_type", event(extra: #", "label": {"y": 1}"#))
        add("segments_array", "wrong_type", event(extra: #", "segments": ["eu"]"#))
        add("error_number", "wrong_type", event(extra: #", "error": 500"#))

        // Numbers.
        add("huge_number_feature", "non_finite_number", event(features: #"{"f00": 1e400}"#))
        add("huge_number_probability", "non_finite_number", event(prediction: #"{"probabilities": {"0": 1e999, "1": 0.7}}"#))
        add("huge_number_latency", "non_finite_number", event(extra: #", "latency_ms": 9e999"#))
        add("negative_latency", "invalid_value", event(extra: #", "latency_ms": -5"#))

        // Duplicates.
        add("duplicate_top_level_key", "duplicate_key", event(extra: #", "model_id": "\#(m)""#))
        add("duplicate_feature", "duplicate_key", event(features: #"{"f00": 1, "f00": 2}"#))
        add("duplicate_class", "duplicate_key", event(prediction: #"{"probabilities": {"0": 0.3, "0": 0.7}}"#))
        add("duplicate_prediction_label", "duplicate_key", event(prediction: #"{"label": "1", "label": "0"}"#))

        // Sizes and names.
        add("oversize_payload", "oversize_payload", event(extra: #", "padding": ""# + String(repeating: "x", count: context.maximumPayloadBytes * 5 / 4) + #"""#))
        add("ten_thousand_features", "too_many_features", event(features: "{" + (0..<10_000).map { #""x\#($0)": 1"# }.joined(separator: ", ") + "}"))
        add("empty_feature_name", "invalid_value", event(features: #"{"": 1}"#))
        add("empty_event_id", "invalid_value", event(id: ""))
        add("long_string_value", "invalid_value", event(features: #"{"c0": ""# + String(repeating: "v", count: 2_000) + #""}"#))
        add("long_feature_name", "invalid_value", event(features: #"{""# + String(repeating: "n", count: 2_000) + #"": 1}"#))
        add("too_many_segments", "invalid_value", event(extra: #", "segments": {"# + (0..<33).map { #""s\#($0)": "x""# }.joined(separator: ", ") + "}"))

        // Timestamps.
        add("negative_timestamp", "invalid_timestamp", event(timestamp: "-5"))
        add("timestamp_beyond_year_9999", "invalid_timestamp", event(timestamp: "1e20"))
        add("far_future_timestamp", "invalid_timestamp", event(timestamp: #""9999-12-31T23:59:59Z""#))
        add("two_hours_ahead", "invalid_timestamp", event(timestamp: String(context.now + 2 * 3_600_000)))
        add("malformed_rfc3339", "invalid_timestamp", event(timestamp: #""2026-13-45T99:00:00Z""#))
        add("february_30", "invalid_timestamp", event(timestamp: #""2026-02-30T10:00:00Z""#))
        add("timestamp_words", "invalid_timestamp", event(timestamp: #""yesterday""#))

        // Probabilities.
        add("probabilities_sum_to_half", "invalid_probabilities", event(prediction: #"{"probabilities": {"0": 0.2, "1": 0.3}}"#))
        add("probabilities_sum_above_one", "invalid_probabilities", event(prediction: #"{"probabilities": {"0": 0.6, "1": 0.7}}"#))
        add("probability_negative", "invalid_probabilities", event(prediction: #"{"probabilities": {"0": -0.2, "1": 1.2}}"#))
        add("probability_above_one", "invalid_probabilities", event(prediction: #"{"probabilities": {"0": 1.5}}"#))
        add("probabilities_empty", "invalid_probabilities", event(prediction: #"{"probabilities": {}}"#))
        add("label_not_among_classes", "invalid_probabilities", event(prediction: #"{"label": "2", "probabilities": {"0": 0.3, "1": 0.7}}"#))
        add("too_many_classes", "invalid_probabilities", event(prediction: #"{"probabilities": {"# + (0..<1_001).map { #""k\#($0)": 0"# }.joined(separator: ", ") + #", "one": 1}}"#))

        // Missing fields.
        add("missing_event_id", "missing_field", valid.replacingOccurrences(of: #""event_id": "hostile", "#, with: ""))
        add("missing_model_id", "missing_field", valid.replacingOccurrences(of: #""model_id": "\#(m)", "#, with: ""))
        add("missing_timestamp", "missing_field", valid.replacingOccurrences(of: #""timestamp": \#(t), "#, with: ""))
        add("missing_features", "missing_field", valid.replacingOccurrences(of: #""features": {"f00": 0.5, "c0": "a"}, "#, with: ""))
        add("missing_prediction", "missing_field", valid.replacingOccurrences(of: #", "prediction": {"label": "1", "probabilities": {"0": 0.3, "1": 0.7}}"#, with: ""))
        add("empty_object", "missing_field", "{}")
        add("empty_prediction", "missing_field", event(prediction: "{}"))

        // Models.
        add("unknown_model", "unknown_model", event(model: "no-such-model"))
        add("unknown_version", "unknown_model", event(version: "99"))
        add("model_over_limit", "model_over_limit", event(model: context.overLimitModel))

        // Feedback events.
        let feedback = #"{"event_id": "e-1", "model_id": "\#(m)", "timestamp": \#(t), "label": "1"}"#
        add("feedback_truncated", "malformed_json", String(feedback.prefix(20)), topic: "feedback")
        add("feedback_missing_label", "missing_field", feedback.replacingOccurrences(of: #", "label": "1""#, with: ""), topic: "feedback")
        add("feedback_label_object", "wrong_type", feedback.replacingOccurrences(of: #""label": "1""#, with: #""label": {"x": 1}"#), topic: "feedback")
        add("feedback_unknown_model", "unknown_model", feedback.replacingOccurrences(of: #""model_id": "\#(m)""#, with: #""model_id": "nobody""#), topic: "feedback")
        add("feedback_far_future", "invalid_timestamp", feedback.replacingOccurrences(of: #""timestamp": \#(t)"#, with: #""timestamp": "9999-01-01T00:00:00Z""#), topic: "feedback")
        add("feedback_nan_label", "malformed_json", feedback.replacingOccurrences(of: #""label": "1""#, with: #""label": NaN"#), topic: "feedback")
        return cases
    }
}
