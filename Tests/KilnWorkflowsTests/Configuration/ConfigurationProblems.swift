import KilnConfiguration
import Testing

/// The problems `ExperimentConfiguration.parse` reports for `text` read as `file`: empty when the
/// text is valid, and an issue recorded for any error other than a `ConfigurationError`.
func configurationProblems(_ text: String, file: String = "experiments/x.yaml",
                           overrides: [String] = []) -> [ConfigurationError.Problem] {
  do {
    _ = try ExperimentConfiguration.parse(text, file: file, overrides: overrides)
    return []
  } catch let error as ConfigurationError {
    return error.problems
  } catch {
    Issue.record("unexpected error \(error)")
    return []
  }
}
