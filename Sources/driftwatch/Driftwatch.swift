import ArgumentParser

/// The `driftwatch` command-line tool.
@main
struct Driftwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftwatch",
        abstract: "Watch machine-learning models in production for drift.",
        subcommands: [Demo.self, Inspect.self, Predict.self, Compare.self, Profile.self, Train.self, Retrain.self, RollbackCommand.self, Approve.self, Reject.self, Promote.self, Monitor.self, Serve.self, Report.self, Simulate.self, Broker.self, Topics.self, Status.self]
    )
}
