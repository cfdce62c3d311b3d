import ArgumentParser

/// `mlplane`: the server and its command-line client, in one binary.
@main
struct MLPlane: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlplane",
        abstract: "MLPlane: experiment tracking, model registry and serving.",
        subcommands: [Serve.self, Demo.self, Experiments.self, Runs.self, Models.self]
    )
}
