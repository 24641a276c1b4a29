/// Runs async sections one at a time, in arrival order: a stage's batches, ticks, checkpoints and
/// rebalances each see the stage's state and its outputs as one consistent step, so a checkpoint never
/// falls between a state change and the hand-over of the outputs it produced.
actor SerialGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `section` when no other section runs.
    func run<T: Sendable>(_ section: @Sendable () async -> T) async -> T {
        await acquire()
        let result = await section()
        release()
        return result
    }

    /// Waits for the gate and holds it until ``leave()``: for a section that starts in one task's
    /// critical section and ends outside it (a checkpoint reserved under the stage's gate, written after).
    func enter() async { await acquire() }

    /// Releases the gate taken by ``enter()``.
    func leave() { release() }

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
