import DriftJSON
import FuzzSupport

/// `JSONValue.parse` and the streaming `JSONReader` on arbitrary text. Oracles: a document that parses
/// is also accepted by `JSONReader.skipValue` (the event decoders' path for unknown fields); its
/// serialization parses again to a value with the same serialization (compact and pretty).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    let skipped: Bool = bytes.withUnsafeBytes { buffer in
        var reader = JSONReader(buffer, maximumDepth: 64)
        do {
            try reader.skipValue()
            try reader.expectEnd()
            return true
        } catch {
            _ = "\(error)"
            return false
        }
    }
    let value: JSONValue
    do {
        value = try JSONValue.parse(bytes)
    } catch {
        _ = error.description
        return 0
    }
    guard skipped else { FuzzInput.fail("JSONValue.parse accepted what JSONReader.skipValue refused") }
    let text = value.serialized()
    let again: JSONValue
    do {
        again = try JSONValue.parse(text)
    } catch {
        FuzzInput.fail("the serialization of a parsed document does not parse: \(error) in \(text)")
    }
    guard again.serialized() == text else { FuzzInput.fail("serialization is not stable: \(text) → \(again.serialized())") }
    let pretty = value.serialized(pretty: true)
    guard let reparsed = try? JSONValue.parse(pretty), reparsed.serialized() == text else {
        FuzzInput.fail("the pretty serialization does not read back: \(pretty)")
    }
    _ = value["a"]?.doubleValue
    _ = value.arrayValue?.first?.intValue
    _ = value.objectValue?.first?.1.stringValue
    return 0
}

/// The entry point SwiftPM's debug link expects (see ``FuzzInput/runDriver(_:_:_:)``); a release build uses libFuzzer's `main`.
@_cdecl("fuzz_json_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzInput.runDriver(argc, argv) { data, size in fuzz(data ?? FuzzInput.empty, size) }
}
