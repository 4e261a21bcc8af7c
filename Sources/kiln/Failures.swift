import ArgumentParser
import Foundation

/// Runs a command body, turning errors about the world (files, input, configuration, runs) into a
/// message on standard error and exit status 1. Argument-parser exits pass through unchanged.
func reportingWorldErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let exit as ExitCode {
    throw exit
  } catch let error as CleanExit {
    throw error
  } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    throw ExitCode(1)
  }
}

/// Whether standard output is a terminal (progress bars) or a file or pipe (plain lines).
var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
