@testable import DriftCompare
import CompareFuzzing
import FuzzSupport

/// `driftwatch compare`'s CSV reader on arbitrary files (the input is written to a `csv` file, so the
/// format comes from the name; gzip is detected by its magic bytes and inflated). Every input ends in a
/// report or a `CompareError`. Oracles: tokenizing in 64-byte chunks (many chunk boundaries, the parallel
/// path) and in the default 128 KiB chunks agree on success, columns and rows; the tokenized table's
/// invariants hold; `DataTable` (`driftwatch profile`'s reader) reads every column of an input that loads.
private let scratch = ScratchFile(name: "input.csv")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    scratch.write(UnsafeRawBufferPointer(start: data, count: size))
    CompareFuzzing.run(path: scratch.path)
    return 0
}

/// The entry point SwiftPM's debug link expects (see ``FuzzInput/runDriver(_:_:_:)``); a release build uses libFuzzer's `main`.
@_cdecl("fuzz_compare_csv_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzInput.runDriver(argc, argv) { data, size in fuzz(data ?? FuzzInput.empty, size) }
}
