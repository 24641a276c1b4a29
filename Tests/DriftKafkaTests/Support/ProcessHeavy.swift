import Testing

/// Suites that each run several processes (brokers, monitor and retraining workers, the demo, a browser, a
/// Prometheus) and assert on timing-sensitive outcomes (group rebalances, session timeouts, exact counts after
/// kills). Nested in this `.serialized` suite they run one test at a time: two of them at once on a 2-core
/// machine starve each other's heartbeats and fail on load, not on a defect.
@Suite(.serialized) enum ProcessHeavy {}
