import ArgumentParser
import Foundation

/// `mlplane`: the server and its command-line client, in one binary.
///
/// Exit codes follow the house convention: 0 success, 1 failure, 2 usage error
/// (ArgumentParser's own default for usage errors is 64).
@main
struct MLPlane: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlplane",
        abstract: "MLPlane: experiment tracking, model registry, vector memory, radio simulation and causal discovery.",
        subcommands: [Serve.self, Demo.self, Experiments.self, Runs.self, Models.self, Vectors.self, Namespaces.self, Memory.self, Embed.self, Rag.self, Ran.self, Causal.self, Deploy.self]
    )

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
