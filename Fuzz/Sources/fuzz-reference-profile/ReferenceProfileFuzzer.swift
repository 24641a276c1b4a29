import DriftContracts
import DriftMonitor
import FuzzSupport
import MonitorFuzzing

/// Reference profiles (`ReferenceProfile(json:path:)`: the files `driftwatch monitor --profile` loads and
/// the profiles promotions carry inline on `model-versions`) on arbitrary text. Every input decodes or
/// throws a `ProfileError`. What decodes must round-trip (its JSON reads back to the same JSON) and is used
/// as the monitor uses it: stage 1 binds events of the profile's model and version to it, and stage 2
/// evaluates the window against it and writes the drift event. None of it may trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let profile: ReferenceProfile
    do {
        profile = try ReferenceProfile(json: FuzzInput.bytes(data, size), path: "fuzz.json")
    } catch {
        _ = error.description
        return 0
    }
    let json = profile.json()
    do {
        guard try ReferenceProfile(json: json, path: "again.json").json() == json else { FuzzInput.fail("profile JSON is not stable") }
    } catch {
        FuzzInput.fail("a decoded profile's JSON does not decode: \(error)")
    }
    let stream = SyntheticStream(modelID: profile.modelID, modelVersion: profile.modelVersion, seed: 7)
    var stage1 = MonitorFixture.stage1(profile)
    stage1.assign(MonitorFixture.source)
    for index in 0..<4 {
        stream.record(index, timestamp: Int64(index) * 10, withLabel: index % 2 == 0).json().withUnsafeBytes {
            stage1.processInference($0, source: MonitorFixture.source, offset: Int64(index), now: 0)
        }
    }
    stage1.flush()
    var stage2 = MonitorFixture.stage2(profile)
    MonitorFixture.forward(stage1.drain(), to: &stage2)
    MonitorFixture.publish(stage2.flush(now: 1))
    return 0
}

/// The entry point SwiftPM's debug link expects (see ``FuzzInput/runDriver(_:_:_:)``); a release build uses libFuzzer's `main`.
@_cdecl("fuzz_reference_profile_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzInput.runDriver(argc, argv) { data, size in fuzz(data ?? FuzzInput.empty, size) }
}
