import DriftJSON
import DriftTestSupport
import Foundation
import Testing
import Yams

/// What of `deploy/` can be checked without a cluster: every YAML document parses, the Grafana dashboard is
/// JSON whose queries name Driftwatch metrics, and Prometheus's own `promtool` accepts the alert rules and the
/// scrape configuration.
@Suite("deploy/ checks")
struct DeployChecksTests {
    static let deploy = SchemaValidation.packageRoot.appendingPathComponent("deploy")

    static func files(_ suffixes: [String]) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: deploy, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter { url in suffixes.contains { url.path.hasSuffix($0) } }.sorted { $0.path < $1.path }
    }

    @Test func everyYAMLDocumentParses() throws {
        let files = Self.files([".yaml", ".yml"])
        #expect(files.count >= 10)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            var documents = 0
            do {
                for document in try Yams.load_all(yaml: text) {
                    documents += 1
                    #expect(document is [String: Any], "\(file.lastPathComponent): a document that is not a mapping")
                }
            } catch {
                Issue.record("\(file.lastPathComponent): \(error)")
            }
            #expect(documents >= 1, "\(file.lastPathComponent) is empty")
        }
        // The Kubernetes manifests: kinds the issue asks for.
        let kinds = try Self.files([".yaml"]).filter { $0.path.contains("/kubernetes/") }.flatMap { file in
            try Yams.load_all(yaml: String(contentsOf: file, encoding: .utf8)).compactMap { ($0 as? [String: Any])?["kind"] as? String }
        }
        #expect(Set(kinds).isSuperset(of: ["Deployment", "Service", "ConfigMap", "ScaledObject", "PersistentVolumeClaim", "Namespace"]))
    }

    @Test func grafanaDashboardQueriesDriftwatchMetrics() throws {
        let data = try Data(contentsOf: Self.deploy.appendingPathComponent("grafana/dashboards/driftwatch.json"))
        let dashboard = try JSONValue.parse(Array(data))
        let panels = dashboard["panels"]?.arrayValue ?? []
        #expect(panels.count >= 6)
        let expressions = panels.flatMap { $0["targets"]?.arrayValue ?? [] }.compactMap { $0["expr"]?.stringValue }
        #expect(expressions.count >= panels.count)
        #expect(expressions.allSatisfy { $0.contains("driftwatch_") || $0.contains(#"job=~"driftwatch"#) }, "\(expressions)")
        #expect(expressions.contains { $0.contains("driftwatch_allocator_allocated_bytes") }, "the memory panel")
        #expect(expressions.contains { $0.contains("driftwatch_model_severity") })
    }

    @Test func promtoolAcceptsRulesAndConfig() throws {
        let prometheus = Self.deploy.appendingPathComponent("prometheus")
        for arguments in [["check", "rules", prometheus.appendingPathComponent("alerts.yml").path],
                          ["check", "config", prometheus.appendingPathComponent("prometheus.yml").path]] {
            let result = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["promtool"] + arguments)
            #expect(result.status == 0, "promtool \(arguments.joined(separator: " ")): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("SUCCESS"))
        }
        let rules = try String(contentsOf: prometheus.appendingPathComponent("alerts.yml"), encoding: .utf8)
        for alert in ["DriftwatchModelDriftCritical", "DriftwatchConsumerLagHigh", "DriftwatchDeadLetterRate"] { #expect(rules.contains("alert: \(alert)")) }
    }
}
