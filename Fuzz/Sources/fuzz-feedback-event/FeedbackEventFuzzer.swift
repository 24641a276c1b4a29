import DriftContracts
import FuzzSupport

/// `FeedbackEventDecoder` on arbitrary payloads, with the monitor's limits (`DecoderLimits()`). Every
/// payload decodes or throws a `ContractViolation`; a decoded event has a non-empty id within the string
/// limit and a timestamp in range. Decoded by a fresh decoder, then by one whose symbol table is nearly full.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let payload = UnsafeRawBufferPointer(start: data, count: size)
    let limits = DecoderLimits()
    for capacity in [1 << 20, 2] {
        var decoder = FeedbackEventDecoder(symbols: SymbolTable(capacity: capacity), limits: limits)
        let event: FeedbackEvent
        do {
            event = try decoder.decode(payload)
        } catch {
            _ = error.description
            continue
        }
        guard !event.eventID.isEmpty, event.eventID.utf8.count <= limits.maximumStringBytes,
              event.timestamp >= 0, event.timestamp < EventTimestamp.maximumMilliseconds
        else { FuzzInput.fail("a decoded feedback event breaks the contract: \(event)") }
        _ = decoder.symbols.string(event.modelID)
    }
    return 0
}

/// The entry point SwiftPM's debug link expects (see ``FuzzInput/runDriver(_:_:_:)``); a release build uses libFuzzer's `main`.
@_cdecl("fuzz_feedback_event_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzInput.runDriver(argc, argv) { data, size in fuzz(data ?? FuzzInput.empty, size) }
}
