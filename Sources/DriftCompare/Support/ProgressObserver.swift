/// Receives coarse progress from ``DriftCompare/run(_:progress:)``: stages run one after the other,
/// and inside a stage `advance(by:)` may be called from several threads at once.
///
/// Stages, in order: `reading` (units: bytes of the files on disk), `tokenizing` (bytes of text),
/// `decoding` (chunks of text), `sorting` (columns: joining the chunks, sorting the numbers),
/// `computing` (columns: the metrics). The command-line tool draws a bar on stderr.
public protocol ProgressObserver: Sendable {
    /// A new stage starts with `total` units of work.
    func begin(stage: String, total: Int)
    /// `units` more units of the current stage are done (thread-safe).
    func advance(by units: Int)
    /// All stages are done.
    func finish()
}
