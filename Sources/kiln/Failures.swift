import ArgumentParser
import Foundation
import KilnOutput
import KilnPromotion

extension Kiln {
  /// Parses the command line and runs the command; the one place an error leaves Kiln.
  ///
  /// Misuse (a bad option or argument, `ValidationError`) prints the usage and exits 64;
  /// argument-parser's exits (`ExitCode`, help) pass through; any other error is about the world
  /// (files, input, configuration, runs) and is printed in `KilnError`'s shape on standard error —
  /// `error: WHERE: WHAT`, then `hint:` and `cause:` lines, or one JSON object with `--json` — and
  /// exits 1, or `rejectedStatus` when it is the gates' refusal of a promotion.
  static func runReportingErrors(_ arguments: [String]) -> Never {
    let command: ParsableCommand
    do {
      command = try parseAsRoot(arguments)
    } catch {
      exit(withError: error)
    }
    do {
      var command = command
      try command.run()
      exit()
    } catch let error where isArgumentParsers(error) {
      exit(withError: error)
    } catch {
      FileHandle.standardError.write(Data(rendered(error, json: arguments.contains("--json")).utf8))
      exit(withError: ExitCode(isGateRejection(error) ? rejectedStatus : 1))
    }
  }

  /// The exit status of a command whose gates rejected the model (`kiln pipeline`, `kiln retrain`,
  /// `kiln promote` without `--force`), so CI can tell a rejection from a failure.
  static let rejectedStatus: Int32 = 3

  /// Whether `error` is a promotion the gates refused (not a failure to evaluate them).
  static func isGateRejection(_ error: any Error) -> Bool {
    (error as? PromotionError)?.code == .gatesFailed
  }

  /// Whether `error` is argument-parser's own (misuse, help, `ExitCode`) rather than about the world.
  static func isArgumentParsers(_ error: any Error) -> Bool {
    String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
  }

  /// `error: DESCRIPTION` and a newline, or `{"error": …, "at": …, "hint": …, "cause": …}`.
  static func rendered(_ error: any Error, json: Bool) -> String {
    guard json else { return "error: \(error)\n" }
    let fields = (error as? any KilnError)?.fields ?? ["error": "\(error)"]
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(fields)) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

/// Whether standard output is a terminal (progress bars) or a file or pipe (plain lines).
var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
