import Dispatch

/// Data-parallel loops on all cores (`DispatchQueue.concurrentPerform`).
enum Parallel {
    /// `(0..<count).map(body)`, with the iterations spread over the cores. Each iteration writes only
    /// its own result slot. If any iteration throws, the error of the lowest index is rethrown (so
    /// messages are deterministic: the first problem in the file wins).
    static func map<T: Sendable>(
        _ count: Int, _ body: @Sendable (Int) throws(CompareError) -> T
    ) throws(CompareError) -> [T] {
        if count == 0 { return [] }
        let slots = ResultSlots<T>(count: count)
        defer { slots.deallocate() }
        if count == 1 {
            slots.store(Result { () throws(CompareError) -> T in try body(0) }, at: 0)
        } else {
            DispatchQueue.concurrentPerform(iterations: count) { index in
                slots.store(Result { () throws(CompareError) -> T in try body(index) }, at: index)
            }
        }
        var values: [T] = []
        values.reserveCapacity(count)
        var firstError: CompareError?
        for index in 0..<count {  // move every slot out, so none leaks when one failed
            switch slots.take(at: index) {
            case .success(let value): values.append(value)
            case .failure(let error): firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
        return values
    }
}

/// Write-once result slots shared by the iterations of ``Parallel/map(_:_:)``: iteration `i` writes
/// slot `i` only, and the slots are read after `concurrentPerform` returns, which orders the writes
/// before the reads.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Result<T, CompareError>>
    private let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
    }

    func store(_ result: Result<T, CompareError>, at index: Int) {
        (base + index).initialize(to: result)
    }

    func take(at index: Int) -> Result<T, CompareError> {
        (base + index).move()
    }

    func deallocate() {
        base.deallocate()
    }
}
