import Foundation
import KilnYAML
import Yams

/// A YAML document as the strict configuration decoder sees it: mappings keep their key order
/// and every node remembers where it came from (a file line and column, or a `--set` override).
package final class ConfigurationNode {
  enum Kind {
    case mapping([(key: String, keyNode: ConfigurationNode, value: ConfigurationNode)])
    case sequence([ConfigurationNode])
    case scalar(String, isNull: Bool)
  }

  var kind: Kind
  /// `file:line:column`, or `--set KEY=VALUE` for overridden values.
  let location: String
  /// The keys a decoder asked for, for mappings decoded as structures.
  var requestedKeys: Set<String> = []
  /// Whether a decoder read this mapping as a structure (so unknown keys are errors).
  var decodedAsStructure = false

  /// Whether this node stands in for a missing or unreadable value while the decoder reads on
  /// to find the file's other problems (the problem itself is already reported).
  let isPlaceholder: Bool

  init(_ kind: Kind, location: String, isPlaceholder: Bool = false) {
    self.kind = kind
    self.location = location
    self.isPlaceholder = isPlaceholder
  }

  /// Whether this is a real scalar with text (not null, not a placeholder).
  var holdsText: Bool {
    if !isPlaceholder, case .scalar(_, false) = kind { return true }
    return false
  }

  /// A placeholder at `location`.
  static func placeholder(at location: String) -> ConfigurationNode {
    ConfigurationNode(.scalar("", isNull: true), location: location, isPlaceholder: true)
  }

  /// Parses `text` (YAML) into a node tree; `file` names it in locations. The document must
  /// stay within `YAMLDocument.Limits.standard` (size, nesting, values after alias expansion).
  package static func parse(_ text: String, file: String) throws -> ConfigurationNode {
    let node: Node?
    do {
      node = try YAMLDocument.compose(text)
    } catch let error as YAMLDocument.LimitError {
      throw ConfigurationError(.tooLarge, location: error.line > 0 ? "\(file):\(error.line):\(error.column)" : file, keyPath: "",
                               error.message, hint: error.hint)
    } catch let error as YamlError {
      throw ConfigurationError(.syntax, location: file, keyPath: "", "the file is not valid YAML: \(error)",
                               hint: "fix the YAML syntax at the line shown")
    }
    guard let node else {
      return ConfigurationNode(.mapping([]), location: "\(file):1:1")
    }
    return try convert(node, file: file)
  }

  private static func convert(_ node: Node, file: String) throws -> ConfigurationNode {
    let location = node.mark.map { "\(file):\($0.line):\($0.column)" } ?? file
    switch node {
    case .scalar(let scalar):
      let isNull = scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
      return ConfigurationNode(.scalar(scalar.string, isNull: isNull), location: location)
    case .sequence(let sequence):
      return ConfigurationNode(.sequence(try sequence.map { try convert($0, file: file) }), location: location)
    case .mapping(let mapping):
      var pairs: [(key: String, keyNode: ConfigurationNode, value: ConfigurationNode)] = []
      for (key, value) in mapping {
        let keyNode = try convert(key, file: file)
        guard case .scalar(let name, _) = keyNode.kind else {
          throw ConfigurationError(.syntax, location: keyNode.location, keyPath: "", "a mapping key must be a plain name",
                                   hint: "write keys as `name: value`")
        }
        if pairs.contains(where: { $0.key == name }) {
          throw ConfigurationError(.syntax, location: keyNode.location, keyPath: name, "the key appears twice in the same mapping",
                                   hint: "keep one of them")
        }
        pairs.append((name, keyNode, try convert(value, file: file)))
      }
      return ConfigurationNode(.mapping(pairs), location: location)
    case .alias:
      // Composing resolves aliases to the node their anchor names; an unresolved one is not a value.
      throw ConfigurationError(.syntax, location: location, keyPath: "", "an unresolved YAML alias",
                               hint: "define the anchor (&name) before its alias (*name), or write the value out")
    }
  }

  /// Sets the value at a dotted `path` (creating mappings on the way) from a `--set` override
  /// whose value is parsed as YAML, so `--set model.hidden=[32,32]` works.
  func override(path: String, yamlValue: String) throws {
    let origin = "--set \(path)=\(yamlValue)"
    let keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard !keys.isEmpty, !keys.contains(where: \.isEmpty) else {
      throw ConfigurationError(.invalidOverride, location: origin, keyPath: path, "the key path is empty or has an empty part",
                               hint: "write --set section.key=value, e.g. --set training.optimizer.lr=3e-4")
    }
    let parsed: ConfigurationNode
    do {
      parsed = try ConfigurationNode.parse(yamlValue, file: origin)
    } catch {
      throw ConfigurationError(.invalidOverride, location: origin, keyPath: path, "the value is not valid YAML",
                               hint: "quote it, e.g. --set name='\"my run\"'")
    }
    let value = parsed.relocated(to: origin)
    var node = self
    for (index, key) in keys.enumerated() {
      guard case .mapping(var pairs) = node.kind else {
        let parent = keys[..<index].joined(separator: ".")
        throw ConfigurationError(.invalidOverride, location: origin, keyPath: path, "`\(parent)` is not a section with keys",
                                 hint: "override `\(parent)` itself")
      }
      let isLast = index == keys.count - 1
      if let position = pairs.firstIndex(where: { $0.key == key }) {
        if isLast {
          pairs[position].value = value
          node.kind = .mapping(pairs)
        } else {
          node = pairs[position].value
        }
      } else {
        let child = isLast ? value : ConfigurationNode(.mapping([]), location: origin)
        pairs.append((key, ConfigurationNode(.scalar(key, isNull: false), location: origin), child))
        node.kind = .mapping(pairs)
        node = child
      }
    }
  }

  /// A copy of this tree whose every node is located at `location`.
  private func relocated(to location: String) -> ConfigurationNode {
    switch kind {
    case .scalar: return ConfigurationNode(kind, location: location)
    case .sequence(let items): return ConfigurationNode(.sequence(items.map { $0.relocated(to: location) }), location: location)
    case .mapping(let pairs):
      return ConfigurationNode(.mapping(pairs.map { ($0.key, $0.keyNode.relocated(to: location), $0.value.relocated(to: location)) }),
                               location: location)
    }
  }

  /// Unknown keys in mappings decoded as structures, with the nearest valid key, in file order.
  func unknownKeyProblems(path: String = "") -> [ConfigurationError.Problem] {
    var problems: [ConfigurationError.Problem] = []
    switch kind {
    case .scalar: break
    case .sequence(let items):
      for (index, item) in items.enumerated() { problems += item.unknownKeyProblems(path: "\(path)[\(index)]") }
    case .mapping(let pairs):
      for pair in pairs {
        let childPath = path.isEmpty ? pair.key : "\(path).\(pair.key)"
        if decodedAsStructure && !requestedKeys.contains(pair.key) {
          let suggestion = nearestKey(to: pair.key, among: requestedKeys.sorted())
          let valid = requestedKeys.sorted().joined(separator: ", ")
          problems.append(.init(code: .unknownKey, location: pair.keyNode.location, keyPath: childPath,
                                message: "unknown key `\(pair.key)`",
                                hint: suggestion.map { "did you mean `\($0)`?" } ?? "valid keys here: \(valid)"))
        } else {
          problems += pair.value.unknownKeyProblems(path: childPath)
        }
      }
    }
    return problems
  }
}
