import DriftContracts
import FuzzSupport

/// `InferenceEventDecoder` on arbitrary payloads, with the monitor's limits (`DecoderLimits()`, as
/// `Stage1Processor` builds them). Every payload decodes or throws a `ContractViolation`; a decoded event
/// must be within the limits. Each payload is decoded by a fresh decoder (so a crash reproduces from its
/// input alone) and again by one whose symbol table is nearly full (the overflow path).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let payload = UnsafeRawBufferPointer(start: data, count: size)
    let limits = DecoderLimits()
    for capacity in [1 << 20, 2] {
        var decoder = InferenceEventDecoder(symbols: SymbolTable(capacity: capacity), limits: limits)
        var event = InferenceEvent()
        do {
            try decoder.decode(payload, into: &event)
        } catch {
            _ = error.description
            continue
        }
        guard event.featureNames.count == event.featureValues.count, event.featureNames.count <= limits.maximumFeatures,
              event.probabilityClasses.count == event.probabilities.count, event.probabilities.count <= limits.maximumClasses,
              event.segmentKeys.count == event.segmentValues.count,
              event.timestamp >= 0, event.timestamp < EventTimestamp.maximumMilliseconds
        else { FuzzInput.fail("a decoded event breaks the limits: \(event)") }
        guard EventTimestamp.parse(EventTimestamp.format(event.timestamp)) == event.timestamp else {
            FuzzInput.fail("timestamp \(event.timestamp) does not round-trip through RFC 3339")
        }
        for name in event.featureNames { _ = decoder.symbols.string(name) }
        _ = event.confidence
    }
    return 0
}

/// The entry point SwiftPM's debug link expects (see ``FuzzInput/runDriver(_:_:_:)``); a release build uses libFuzzer's `main`.
@_cdecl("fuzz_inference_event_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzInput.runDriver(argc, argv) { data, size in fuzz(data ?? FuzzInput.empty, size) }
}
