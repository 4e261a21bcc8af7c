import KilnOutput
import Yams

/// The one way Kiln reads YAML — experiment files, `--set` values, dataset recipes and the
/// governance policy: Yams' node tree, within limits, so a hostile file is an error in well
/// under a second instead of a process that grows until the machine runs out of memory.
///
/// Yams resolves an alias to the node its anchor names, so ten nested anchors of ten aliases
/// each ("billion laughs") compose into a small shared tree that expands to 10¹⁰ values when
/// walked. `compose` walks it once, counting every value as a reader would see it, and stops
/// at the first limit crossed.
public enum YAMLDocument {
  /// How large a document may be.
  public struct Limits: Sendable, Equatable {
    /// Bytes of text (experiment files and recipes are a few kilobytes).
    public var maximumBytes: Int
    /// Mappings and lists inside one another.
    public var maximumDepth: Int
    /// Values (scalars, mappings, lists) once every alias is expanded.
    public var maximumValues: Int

    public init(maximumBytes: Int = 1 << 20, maximumDepth: Int = 64, maximumValues: Int = 100_000) {
      self.maximumBytes = maximumBytes
      self.maximumDepth = maximumDepth
      self.maximumValues = maximumValues
    }

    /// 1 MiB, 64 levels, 100,000 values (docs/DESIGN.md, "The experiment file").
    public static let standard = Limits()
  }

  /// A document over one of the limits: what, and the line and column where it was crossed.
  public struct LimitError: KilnError, Sendable, Equatable {
    /// 1-based; 0 when the whole document is at fault (its size).
    public var line: Int
    public var column: Int
    public var message: String
    public var hint: String?
  }

  /// Composes `text` into Yams' node tree (nil for an empty document) after checking it against
  /// `limits`. Throws `LimitError` for a document over a limit and Yams' `YamlError` for text
  /// that is not YAML.
  public static func compose(_ text: String, limits: Limits = .standard) throws -> Node? {
    let size = text.utf8.count
    guard size <= limits.maximumBytes else {
      throw LimitError(line: 0, column: 0, message: "the document is \(size) bytes, more than the \(limits.maximumBytes) allowed",
                       hint: "Kiln's YAML files are small; check that this is the file you meant")
    }
    guard let root = try Yams.compose(yaml: text) else { return nil }
    try check(root, limits)
    return root
  }

  /// Walks the tree as a reader would, each alias expanded, without recursion.
  private static func check(_ root: Node, _ limits: Limits) throws {
    var pending: [(node: Node, depth: Int)] = [(root, 1)]
    var values = 0
    while let (node, depth) = pending.popLast() {
      values += 1
      let mark = node.mark
      if values > limits.maximumValues {
        throw LimitError(line: mark?.line ?? 0, column: mark?.column ?? 0,
                         message: "the document expands to more than \(limits.maximumValues) values",
                         hint: "YAML aliases (*name) copy what their anchor (&name) names; write the values out instead")
      }
      if depth > limits.maximumDepth {
        throw LimitError(line: mark?.line ?? 0, column: mark?.column ?? 0,
                         message: "the document nests mappings and lists more than \(limits.maximumDepth) levels deep",
                         hint: "flatten the structure")
      }
      switch node {
      case .mapping(let mapping):
        for (key, value) in mapping {
          pending.append((key, depth + 1))
          pending.append((value, depth + 1))
        }
      case .sequence(let sequence):
        for item in sequence { pending.append((item, depth + 1)) }
      case .scalar, .alias:
        break
      }
    }
  }
}
