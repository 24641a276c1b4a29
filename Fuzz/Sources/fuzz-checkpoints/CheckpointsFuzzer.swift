import DriftMonitor
import FuzzSupport
import MonitorFuzzing

/// Checkpoint records of both stages (`Stage1Checkpoint`, `Stage2Checkpoint`: the `DWCK` envelope on the
/// changelog topics) on arbitrary bytes, also with the CRC-32 recomputed. Every input decodes or throws a
/// `CheckpointError`. What decodes must round-trip (`==`) and is restored into a fresh processor as a
/// restarted worker does; stage 1 then takes a few events, flushes and checkpoints again, stage 2 evaluates
/// what it holds: none of it may trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzInput.withChecksumVariants(FuzzInput.bytes(data, size)) { bytes in
        if let checkpoint = try? Stage1Checkpoint(serialized: bytes) {
            guard (try? Stage1Checkpoint(serialized: checkpoint.serialized())) == checkpoint else { FuzzInput.fail("stage 1 checkpoint round trip") }
            var stage1 = MonitorFixture.stage1()
            stage1.restore(checkpoint, now: 0)
            for (index, event) in MonitorFixture.events.enumerated() {
                event.withUnsafeBytes {
                    stage1.processInference($0, source: checkpoint.source, offset: checkpoint.nextOffset &+ Int64(index), now: 0)
                }
            }
            if let again = stage1.checkpoint(checkpoint.source, now: 1) {
                guard (try? Stage1Checkpoint(serialized: again.serialized())) == again else { FuzzInput.fail("stage 1 checkpoint after restore") }
            }
            stage1.flush()
            var stage2 = MonitorFixture.stage2()
            MonitorFixture.forward(stage1.drain(), to: &stage2)
            MonitorFixture.publish(stage2.flush(now: 1))
        }
        if let checkpoint = try? Stage2Checkpoint(serialized: bytes) {
            guard (try? Stage2Checkpoint(serialized: checkpoint.serialized())) == checkpoint else { FuzzInput.fail("stage 2 checkpoint round trip") }
            var stage2 = MonitorFixture.stage2()
            stage2.restore(checkpoint, now: 0)
            _ = stage2.checkpoint(partition: checkpoint.partition, nextOffset: checkpoint.nextOffset, now: 1).serialized()
            MonitorFixture.publish(stage2.ready(now: 2))
            MonitorFixture.publish(stage2.flush(now: 3))
        }
    }
    return 0
}

/// The entry point SwiftPM's debug link expects (see ``FuzzInput/runDriver(_:_:_:)``); a release build uses libFuzzer's `main`.
@_cdecl("fuzz_checkpoints_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzInput.runDriver(argc, argv) { data, size in fuzz(data ?? FuzzInput.empty, size) }
}
