import KilnCrypto
import Foundation

extension ExperimentConfiguration {
  /// Reads, overrides, decodes and validates an experiment file.
  ///
  /// - Parameters:
  ///   - file: the YAML file.
  ///   - overrides: `KEY=VALUE` strings as given to `--set` (VALUE is YAML), applied in order
  ///     before decoding, so they get the same checks as the file.
  /// - Throws: `ConfigurationError` listing every problem with its location.
  public static func load(file: URL, overrides: [String] = []) throws -> ExperimentConfiguration {
    try loadLocated(file: file, overrides: overrides).configuration
  }

  /// `load`, with the location (`file:line:column` or `--set …`) of every decoded key path, for
  /// checks made later against the dataset (the pipeline's gate metrics).
  package static func loadLocated(file: URL, overrides: [String] = []) throws -> (configuration: ExperimentConfiguration, locations: [String: String]) {
    let text: String
    do {
      text = try String(contentsOf: file, encoding: .utf8)
    } catch {
      throw ConfigurationError(.unreadableFile, location: file.path, keyPath: "", "cannot read the experiment file",
                               hint: "check the path; experiment files live under experiments/")
    }
    return try parseLocated(text, file: file.path, overrides: overrides)
  }

  /// Decodes and validates experiment YAML `text`; `file` names it in error locations.
  public static func parse(_ text: String, file: String, overrides: [String] = []) throws -> ExperimentConfiguration {
    try parseLocated(text, file: file, overrides: overrides).configuration
  }

  static func parseLocated(_ text: String, file: String, overrides: [String] = []) throws -> (configuration: ExperimentConfiguration, locations: [String: String]) {
    let root = try ConfigurationNode.parse(text, file: file)
    for override in overrides {
      guard let equals = override.firstIndex(of: "=") else {
        throw ConfigurationError(.invalidOverride, location: "--set \(override)", keyPath: override, "missing `=`",
                                 hint: "write --set KEY=VALUE, e.g. --set training.optimizer.lr=3e-4")
      }
      try root.override(path: String(override[..<equals]), yamlValue: String(override[override.index(after: equals)...]))
    }
    let decoder = StrictConfigurationDecoder()
    let configuration = try decoder.decode(ExperimentConfiguration.self, from: root)
    let problems = configuration.rangeProblems(locations: decoder.locations, file: file)
    if !problems.isEmpty { throw ConfigurationError(problems) }
    return (configuration, decoder.locations)
  }

  /// The configuration as canonical JSON (sorted keys), as stored on runs.
  public func canonicalJSON() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Encoding plain structs of numbers, strings and arrays cannot fail.
    let data = try! encoder.encode(self)
    return String(decoding: data, as: UTF8.self)
  }

  /// SHA-256 of `canonicalJSON()`, hex: equal configurations have equal hashes.
  public func configurationHash() -> String {
    SHA256.hexDigest(canonicalJSON().utf8)
  }

  /// Every leaf value under its dotted key (`training.optimizer.lr` → `0.001`), as tracked params.
  public func flattenedParameters() -> [String: String] {
    let object = try! JSONSerialization.jsonObject(with: Data(canonicalJSON().utf8))
    var parameters: [String: String] = [:]
    func walk(_ value: Any, _ path: String) {
      switch value {
      case let dictionary as [String: Any]:
        for (key, child) in dictionary { walk(child, path.isEmpty ? key : "\(path).\(key)") }
      case let array as [Any]:
        if array.allSatisfy({ !($0 is [String: Any]) && !($0 is [Any]) }) {
          parameters[path] = "[" + array.map { "\($0)" }.joined(separator: ", ") + "]"
        } else {
          for (index, child) in array.enumerated() { walk(child, "\(path).\(index)") }
        }
      case let number as NSNumber:
        // Booleans arrive as NSNumber with Objective-C type code "c".
        parameters[path] = String(cString: number.objCType) == "c" ? (number.boolValue ? "true" : "false") : "\(number)"
      default:
        parameters[path] = "\(value)"
      }
    }
    walk(object, "")
    return parameters
  }
}
