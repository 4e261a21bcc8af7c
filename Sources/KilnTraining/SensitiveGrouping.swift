import KilnData
import KilnMetrics

extension DatasetMetadata {
  /// The label a row's sensitive code stands for (`<missing>` for a missing value, code −1), as
  /// evaluation, mitigation and scoring name groups.
  public static let missingSensitiveLabel = "<missing>"

  /// The groups of `rows` by `attributes`: one attribute's categories, or the intersection of
  /// several (groups named `Female&White`), in fairlearn's order.
  /// - Throws: `MitigationError` naming `key` when an attribute is not a sensitive attribute of
  ///   the dataset.
  public func grouping(of attributes: [String], rows: Batch, key: String) throws -> Grouping {
    let parts = try attributes.map { name -> Grouping in
      guard let attribute = sensitive.first(where: { $0.name == name }) else {
        throw MitigationError("\(key): `\(name)` is not a sensitive attribute of \(header.name)",
                              hint: "the dataset's sensitive attributes are: \(sensitive.map(\.name).joined(separator: ", "))")
      }
      let codes = rows.sensitive[name] ?? []
      return Grouping(KilnMetrics.SensitiveAttribute(name: name, values: codes.map {
        $0 >= 0 && Int($0) < attribute.categories.count ? attribute.categories[Int($0)] : Self.missingSensitiveLabel
      }))
    }
    return parts.count == 1 ? parts[0] : Grouping(intersecting: parts)
  }
}

extension SensitiveEncoding {
  /// The group a raw value falls in, named as evaluation names it (`<missing>` when missing or
  /// unmapped).
  public func groupName(of value: String?) -> String {
    let code = code(of: value)
    return code >= 0 ? categories[Int(code)] : DatasetMetadata.missingSensitiveLabel
  }
}
