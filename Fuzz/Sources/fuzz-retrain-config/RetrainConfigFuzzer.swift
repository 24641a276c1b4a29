import DriftKafka
import DriftRetrain
import DriftServer
import FuzzSupport

/// `driftwatch retrain`'s configuration file (`RetrainConfig.load(yaml:path:)`, YAML through Yams) on
/// arbitrary text, then applied to the worker's settings as the command does. Every input ends in settings
/// or a `ConfigError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var config = RetrainConfig()
    do {
        try config.load(yaml: text, path: "retrain.yaml")
        _ = try config.httpAddress()
        var settings = RetrainSettings(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:9092"), registry: "registry")
        try config.apply(to: &settings)
    } catch {
        _ = error.description
    }
    return 0
}

/// The entry point SwiftPM's debug link expects (see ``FuzzInput/runDriver(_:_:_:)``); a release build uses libFuzzer's `main`.
@_cdecl("fuzz_retrain_config_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzInput.runDriver(argc, argv) { data, size in fuzz(data ?? FuzzInput.empty, size) }
}
