import DriftMonitor
import FuzzSupport
import MonitorFuzzing

/// Records of `driftwatch.partials` (`PartialsRecord`: window partials `DWPT` and progress records `DWPG`)
/// on arbitrary bytes, also with the outer CRC-32 recomputed. Every input decodes or throws a
/// `PartialError`. What decodes must round-trip (`==`), and stage 2 is fed the bytes as the monitor feeds
/// it (`Stage2Processor.add(serialized:now:)`, twice: a duplicate) and flushed, which merges and evaluates
/// the window against the reference profile and writes its drift event: none of it may trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzInput.withChecksumVariants(FuzzInput.bytes(data, size)) { bytes in
        guard let record = try? PartialsRecord(serialized: bytes) else { return }
        guard (try? PartialsRecord(serialized: record.serialized())) == record else { FuzzInput.fail("partials record round trip") }
        var stage2 = MonitorFixture.stage2()
        stage2.add(serialized: bytes, now: 0)
        stage2.add(serialized: bytes, now: 1)
        MonitorFixture.publish(stage2.ready(now: 2))
        MonitorFixture.publish(stage2.flush(now: 3))
    }
    return 0
}

/// The entry point SwiftPM's debug link expects (see ``FuzzInput/runDriver(_:_:_:)``); a release build uses libFuzzer's `main`.
@_cdecl("fuzz_partials_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzInput.runDriver(argc, argv) { data, size in fuzz(data ?? FuzzInput.empty, size) }
}
