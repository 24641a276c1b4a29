import DriftStats

/// What the fuzz targets share.
public enum FuzzInput {
    /// The input as an array (most decoders take `[UInt8]`).
    public static func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Stops the fuzzer with a message: an oracle (round trip, invariant) failed on an input that decoded.
    public static func fail(_ message: String) -> Never {
        fatalError("fuzz oracle failed: \(message)")
    }

    /// The input, then variants whose trailing CRC-32 is recomputed so that random mutations get past the
    /// checksum and reach the field checks behind it: the checksum of every byte before the trailer (the
    /// `DWPT`, `DWPG`, `DWCK` records and the histogram, counts and moments encodings), and of the bytes
    /// after the 8-byte header (the KLL sketch). The variants are a function of the input, so a crash found
    /// through one reproduces from the saved input.
    public static func withChecksumVariants(_ bytes: [UInt8], _ body: ([UInt8]) -> Void) {
        body(bytes)
        guard bytes.count >= 12 else { return }
        for start in [0, 8] {
            var fixed = bytes
            let checksum = CRC32.checksum(bytes[start..<(bytes.count - 4)])
            for i in 0..<4 { fixed[bytes.count - 4 + i] = UInt8(truncatingIfNeeded: checksum >> (8 * UInt32(i))) }
            if fixed != bytes { body(fixed) }
        }
    }
}

/// libFuzzer's driver (`FuzzerInterface.h`).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

extension FuzzInput {
    /// Runs libFuzzer with `callback`. SwiftPM's debug builds link an executable with `main` renamed to
    /// `<module>_main` (so tests can link the executable's code), which makes the linker look for that
    /// symbol instead of using libFuzzer's `main`: each target defines it and calls this.
    public static func runDriver(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt {
        var count = argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        return LLVMFuzzerRunDriver(&count, &arguments, callback)
    }

    /// A valid pointer for an empty input (libFuzzer may pass none).
    nonisolated(unsafe) public static let empty: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()
}
