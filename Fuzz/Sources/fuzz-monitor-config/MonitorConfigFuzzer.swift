import DriftKafka
import DriftMonitor
import DriftServer
import FuzzSupport

/// `driftwatch monitor`'s configuration file (`MonitorConfig.load(yaml:path:)`, YAML through Yams) on
/// arbitrary text, followed by everything the command derives from it: the HTTP address, the window, the
/// policy and the service settings. Every input ends in values or a `ConfigError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var config = MonitorConfig()
    do {
        try config.load(yaml: text, path: "monitor.yaml")
        _ = try config.httpAddress()
        _ = try config.windowSpec()
        _ = try config.policy()
        _ = try config.settings(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:9092", properties: config.kafkaProperties))
    } catch {
        _ = error.description
    }
    return 0
}

/// The entry point SwiftPM's debug link expects (see ``FuzzInput/runDriver(_:_:_:)``); a release build uses libFuzzer's `main`.
@_cdecl("fuzz_monitor_config_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzInput.runDriver(argc, argv) { data, size in fuzz(data ?? FuzzInput.empty, size) }
}
