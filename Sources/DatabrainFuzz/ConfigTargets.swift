@testable import DatabrainExporter

/// What an operator writes: `--config.file`, `--web.config.file`, durations and listen addresses.
/// A refusal is a ConfigError with one line; anything else (a trap, a hang) is a crash.
enum ConfigTargets {
    static let all: [FuzzTarget] = [
        FuzzTarget(name: "config-file", source: .configuration, summary: "--config.file: a refusal is one line naming the file") { input in
            let defaults = TargetConfig(name: "default", url: "http://127.0.0.1:9", token: .value("opaque"))
            do {
                _ = try ConfigFileLoader.parse(yaml: input.text, source: "fuzz.yml", defaults: defaults)
            } catch let error as ConfigError {
                precondition(!error.message.contains("\n") && error.message.contains("fuzz.yml"), "one line naming the file: \(error.message)")
            } catch {
                preconditionFailure("not a ConfigError: \(error)")
            }
        },
        FuzzTarget(name: "web-config", source: .configuration, summary: "--web.config.file (files it names are not read): a refusal is one line") { input in
            do {
                _ = try WebConfigLoader.parse(yaml: input.text, source: "web.yml")
            } catch let error as ConfigError {
                precondition(!error.message.contains("\n"), "one line: \(error.message)")
            } catch {
                preconditionFailure("not a ConfigError: \(error)")
            }
        },
        FuzzTarget(name: "go-duration", source: .configuration, summary: "Go durations; what parses formats and parses back the same") { input in
            guard let duration = try? GoDuration.parse(input.text) else { return }
            precondition(duration >= .zero, "a duration is never negative")
            // Parsing reads decimals as doubles: exact up to 2^53 ns (104 days).
            guard duration < .nanoseconds(1 << 53) else { return }
            let again = try? GoDuration.parse(GoDuration.format(duration))
            precondition(again == duration, "\(duration) formats as \(GoDuration.format(duration)), which parses as \(String(describing: again))")
        },
        FuzzTarget(name: "listen-address", source: .configuration, summary: "--web.listen-address forms") { input in
            _ = try? ListenAddress.parse(input.text)
        },
    ]
}
