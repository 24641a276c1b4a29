/// Batch drift comparison of two datasets (`driftwatch compare`): loading CSV and JSON Lines
/// (gzip accepted), column type inference, per-column drift metrics and the report.
public enum DriftCompare {}
