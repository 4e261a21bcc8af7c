import Foundation
import KilnTracking

/// A registered model version named on the command line: `NAME`, `NAME@production`,
/// `NAME@staging`, `NAME@champion` or `NAME:VERSION`.
///
/// `NAME` alone means the version in production. `@staging` is the newest version in staging
/// (several may be staged at once). `@champion` is the version the `champion` alias points at:
/// the production version, or after a rollback the restored one — the same version as
/// `@production` while the registry is consistent, kept as a separate form because it reads the
/// alias rather than the stage. `:VERSION` is a version number, in any stage.
public struct ModelReference: Equatable, Sendable, CustomStringConvertible {
  /// Which version of the model a reference picks.
  public enum Selector: Equatable, Sendable {
    case production
    case staging
    case champion
    case version(Int)
  }

  public let name: String
  public let selector: Selector

  public init(name: String, selector: Selector) {
    self.name = name
    self.selector = selector
  }

  /// The accepted forms, as error messages and help list them.
  public static let acceptedForms = "NAME, NAME@production, NAME@staging, NAME@champion or NAME:VERSION (e.g. adult-mlp@staging, adult-mlp:3)"

  public var description: String {
    switch selector {
    case .production: return "\(name)@production"
    case .staging: return "\(name)@staging"
    case .champion: return "\(name)@champion"
    case .version(let number): return "\(name):\(number)"
    }
  }

  /// Parses a reference.
  /// - Throws: `ModelReferenceError` naming the accepted forms when `text` is not one of them.
  public static func parse(_ text: String) throws -> ModelReference {
    func malformed(_ why: String) -> ModelReferenceError {
      ModelReferenceError("malformed model reference '\(text)': \(why)", hint: "write \(acceptedForms)")
    }
    let at = text.firstIndex(of: "@"), colon = text.firstIndex(of: ":")
    if at != nil && colon != nil { throw malformed("use either @STAGE or :VERSION, not both") }
    guard let separator = at ?? colon else {
      guard !text.isEmpty else { throw malformed("the model name is empty") }
      return ModelReference(name: text, selector: .production)
    }
    let name = String(text[..<separator]), suffix = String(text[text.index(after: separator)...])
    guard !name.isEmpty else { throw malformed("the model name is empty") }
    if colon != nil {
      guard let number = Int(suffix), number >= 1, suffix.allSatisfy({ $0.isASCII && $0.isNumber }) else {
        throw malformed("'\(suffix)' is not a version number (1, 2, 3 …)")
      }
      return ModelReference(name: name, selector: .version(number))
    }
    switch suffix {
    case "production": return ModelReference(name: name, selector: .production)
    case "staging": return ModelReference(name: name, selector: .staging)
    case "champion": return ModelReference(name: name, selector: .champion)
    default: throw malformed("'@\(suffix)' is not a stage or alias (production, staging, champion)")
    }
  }

  /// The registered version this reference names.
  /// - Throws: `ModelReferenceError` for an unknown model (listing the registered ones), a stage
  ///   with no version (listing the stages the model's versions are in) or an unknown version.
  public func resolve(in registry: any ModelRegistryStore) throws -> ModelVersionRecord {
    let versions = try registry.modelVersions(model: name)
    guard !versions.isEmpty else {
      let known = try registry.registeredModels().map(\.name)
      throw ModelReferenceError("no registered model named '\(name)'"
                                  + (known.isEmpty ? " (no models are registered yet)" : " (registered: \(known.joined(separator: ", ")))"),
                                hint: known.isEmpty ? "register one with `kiln pipeline` or `kiln promote RUN_ID --model NAME`"
                                  : "list the models with `kiln models list`")
    }
    let found: ModelVersionRecord?
    switch selector {
    case .production: found = versions.last { $0.stage == .production }
    case .staging: found = versions.last { $0.stage == .staging }
    case .champion: found = versions.first(where: \.isChampion)
    case .version(let number): found = versions.first { $0.version == number }
    }
    if let found { return found }
    throw missing(versions)
  }

  /// The registered version this reference names, in a project's tracking store.
  public func resolve(layout: ProjectLayout) throws -> ModelVersionRecord {
    try resolve(in: try Tracker(layout: layout, mustExist: true).store)
  }

  /// The error for a known model without the version asked for.
  func missing(_ versions: [ModelVersionRecord]) -> ModelReferenceError {
    let stages = versions.map { "v\($0.version) \($0.stage.rawValue)" }.joined(separator: ", ")
    let hint = "see the versions with `kiln models show \(name)`, or name one with \(name):VERSION"
    switch selector {
    case .version(let number):
      return ModelReferenceError("\(name) has no version \(number) (versions: \(stages))", hint: hint)
    case .champion:
      return ModelReferenceError("\(name) has no champion: no version has been in production (versions: \(stages))", hint: hint)
    case .production, .staging:
      let stage = selector == .staging ? "staging" : "production"
      return ModelReferenceError("\(name) has no version in \(stage) (versions: \(stages))", hint: hint)
    }
  }
}
