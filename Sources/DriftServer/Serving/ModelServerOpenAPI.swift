public import DriftJSON

/// The model server's OpenAPI 3.0 document (`GET /openapi.json`).
public enum ModelServerOpenAPI {
    /// The document for a server of `modelID`.
    public static func document(modelID: String) -> JSONValue {
        func ref(_ name: String) -> JSONValue { .object([("$ref", .string("#/components/schemas/\(name)"))]) }
        func jsonBody(_ schema: JSONValue) -> JSONValue { .object([("application/json", .object([("schema", schema)]))]) }
        func response(_ description: String, _ schema: JSONValue? = nil, text: Bool = false) -> JSONValue {
            var members: [(String, JSONValue)] = [("description", .string(description))]
            if let schema { members.append(("content", jsonBody(schema))) }
            if text { members.append(("content", .object([("text/plain", .object([("schema", .object([("type", .string("string"))]))]))]))) }
            return .object(members)
        }
        let errors: [(String, JSONValue)] = [
            ("400", response("The body is not a valid request", ref("Error"))),
            ("413", response("The body is too large", ref("Error"))),
            ("422", response("The instances could not be scored", ref("Error"))),
        ]
        let probabilities = JSONValue.object([("type", .string("object")), ("additionalProperties", .object([("type", .string("number"))]))])
        let schemas: [(String, JSONValue)] = [
            ("FeatureValue", .object([("oneOf", .array([
                .object([("type", .string("number"))]), .object([("type", .string("string"))]), .object([("type", .string("null"))]),
            ]))])),
            ("Instance", .object([
                ("type", .string("object")), ("required", .array([.string("features")])),
                ("properties", .object([
                    ("features", .object([("type", .string("object")), ("additionalProperties", ref("FeatureValue")),
                                          ("description", .string("Feature values by name; absent ones are imputed as in training"))])),
                    ("event_id", .object([("type", .string("string")), ("maxLength", .int(256)),
                                          ("description", .string("The inference event's id (generated when absent); feedback events refer to it"))])),
                    ("label", .object([("type", .string("string")), ("description", .string("Ground truth already known, published with the event"))])),
                ])),
            ])),
            ("Batch", .object([
                ("type", .string("object")), ("required", .array([.string("instances")])),
                ("properties", .object([("instances", .object([("type", .string("array")), ("minItems", .int(1)),
                                                                ("maxItems", .int(PredictionRequest.maximumInstances)), ("items", ref("Instance"))]))])),
            ])),
            ("Prediction", .object([
                ("type", .string("object")), ("required", .array([.string("event_id"), .string("label"), .string("probabilities")])),
                ("properties", .object([
                    ("event_id", .object([("type", .string("string"))])), ("label", .object([("type", .string("string"))])),
                    ("probabilities", probabilities),
                    ("shadow", .object([("type", .string("object")), ("description", .string("The shadow version's prediction, when one is scored")),
                                        ("properties", .object([("model_version", .object([("type", .string("string"))])),
                                                                ("label", .object([("type", .string("string"))])), ("probabilities", probabilities)]))])),
                ])),
            ])),
            ("PredictionResponse", .object([("allOf", .array([ref("Prediction"), .object([
                ("type", .string("object")),
                ("properties", .object([("model_id", .object([("type", .string("string"))])), ("model_version", .object([("type", .string("string"))])),
                                        ("latency_ms", .object([("type", .string("number"))]))])),
            ])]))])),
            ("BatchResponse", .object([
                ("type", .string("object")),
                ("properties", .object([
                    ("model_id", .object([("type", .string("string"))])), ("model_version", .object([("type", .string("string"))])),
                    ("predictions", .object([("type", .string("array")), ("items", ref("Prediction"))])),
                    ("latency_ms", .object([("type", .string("number"))])),
                ])),
            ])),
            ("Error", .object([("type", .string("object")), ("required", .array([.string("error")])),
                               ("properties", .object([("error", .object([("type", .string("string"))]))]))])),
        ]
        let paths: [(String, JSONValue)] = [
            ("/v1/predict", .object([("post", .object([
                ("summary", .string("Score one instance with the champion; publish it as an inference event")),
                ("operationId", .string("predict")),
                ("requestBody", .object([("required", .bool(true)), ("content", jsonBody(ref("Instance")))])),
                ("responses", .object([("200", response("The prediction", ref("PredictionResponse")))] + errors)),
            ]))])),
            ("/v1/predict/batch", .object([("post", .object([
                ("summary", .string("Score a batch of instances; one inference event each")),
                ("operationId", .string("predictBatch")),
                ("requestBody", .object([("required", .bool(true)), ("content", jsonBody(ref("Batch")))])),
                ("responses", .object([("200", response("One prediction per instance, in order", ref("BatchResponse")))] + errors)),
            ]))])),
            ("/v1/model", .object([("get", .object([
                ("summary", .string("The champion (and shadow) served, with their registry metrics and the server's counters")),
                ("operationId", .string("model")), ("responses", .object([("200", response("The model status", .object([("type", .string("object"))])))])),
            ]))])),
            ("/healthz", .object([("get", .object([("operationId", .string("health")), ("responses", .object([("200", response("Alive", text: true))]))]))])),
            ("/readyz", .object([("get", .object([("operationId", .string("ready")), ("responses", .object([("200", response("A champion is loaded", text: true))]))]))])),
            ("/metrics", .object([("get", .object([("operationId", .string("metrics")), ("responses", .object([("200", response("Prometheus text exposition", text: true))]))]))])),
        ]
        return .object([
            ("openapi", .string("3.0.3")),
            ("info", .object([("title", .string("Driftwatch model server: \(modelID)")), ("version", .string("1")),
                              ("description", .string("Serves the registry's champion of \(modelID); every prediction is published as an inference event."))])),
            ("paths", .object(paths)),
            ("components", .object([("schemas", .object(schemas))])),
        ])
    }
}
