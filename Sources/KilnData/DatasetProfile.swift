import Foundation

/// A dataset file's profile (`kiln dataset inspect`): per-column statistics of the stored
/// features, sensitive groups, the label's balance (binary: positive rate overall, per group and
/// per intersection of two attributes; multiclass: rows per class overall and per group;
/// regression: target statistics overall and per group), duplicate rows (also with conflicting
/// labels, and shared between splits), and the file's identity
/// (fingerprint, version, splits).
public struct DatasetProfile: Codable, Sendable, Equatable {
  /// Rows and positive-class rate of a group.
  public struct Balance: Codable, Sendable, Equatable {
    public var rows: Int
    public var positives: Int
    public var positiveRate: Double { rows == 0 ? 0 : Double(positives) / Double(rows) }

    enum CodingKeys: String, CodingKey { case rows, positives, positiveRate = "positive_rate" }

    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(rows, forKey: .rows)
      try container.encode(positives, forKey: .positives)
      try container.encode(positiveRate, forKey: .positiveRate)
    }

    public init(rows: Int, positives: Int) {
      self.rows = rows
      self.positives = positives
    }

    public init(from decoder: Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      rows = try container.decode(Int.self, forKey: .rows)
      positives = try container.decode(Int.self, forKey: .positives)
    }
  }

  public var path: String
  public var name: String
  public var version: String
  public var format: String
  public var fingerprint: String
  public var rowCount: Int
  public var featureCount: Int
  public var splits: [String: Int]
  public var labelName: String
  public var labelKind: LabelKind
  public var classes: [String]
  public var features: [ColumnProfile]
  public var sensitive: [ColumnProfile]
  /// Rows, and positives for a binary label (0 for other kinds).
  public var labelBalance: Balance
  /// Multiclass: class → rows.
  public var classCounts: [String: Int]?
  /// Multiclass: attribute → group → class → rows.
  public var classCountsByGroup: [String: [String: [String: Int]]]?
  /// Regression: the target over all rows.
  public var targetStatistics: TargetStatistics?
  /// Regression: attribute → group → target statistics.
  public var targetStatisticsByGroup: [String: [String: TargetStatistics]]?
  /// Binary: attribute → group → balance.
  public var balanceByGroup: [String: [String: Balance]]
  /// Binary: "a×b" → "groupA×groupB" → balance, for each pair of sensitive attributes.
  public var balanceByIntersection: [String: [String: Balance]]
  /// Rows whose features and label repeat an earlier row's.
  public var duplicateRows: Int { duplicates.duplicateRows }
  /// Duplicate rows, duplicates with conflicting labels, rows shared between splits.
  public var duplicates: DuplicateReport

  /// Profiles every row of an open dataset, reading features in slabs.
  public static func profile(of dataset: KilnDataset) throws -> DatasetProfile {
    let metadata = dataset.metadata
    let all = try dataset.rows(Array(0..<metadata.rowCount))
    let width = metadata.featureCount
    let features: [ColumnProfile] = (0..<width).map { column in
      let values = stride(from: column, to: all.features.count, by: max(width, 1)).map { Double(all.features[$0]) }
      return ColumnProfile.numericProfile(name: metadata.featureNames[column], values: values, missing: 0)
    }
    var splitRows: [String: [Int]] = [:]
    for split in metadata.splitNames { splitRows[split] = try dataset.splitIndices(split) }
    let duplicates = DuplicateReport(features: all.features, featureCount: width, labels: all.labels, targets: all.targets, splits: splitRows)
    let groups: [(SensitiveAttribute, [String])] = metadata.sensitive.map { attribute in
      (attribute, (all.sensitive[attribute.name] ?? []).map { $0 >= 0 && Int($0) < attribute.categories.count ? attribute.categories[Int($0)] : "<missing>" })
    }
    var byGroup: [String: [String: Balance]] = [:]
    var byIntersection: [String: [String: Balance]] = [:]
    if metadata.labelKind == .binary {
      for (attribute, names) in groups { byGroup[attribute.name] = balance(names, labels: all.labels) }
      for (first, second) in pairs(groups) {
        let names = zip(first.1, second.1).map { "\($0)×\($1)" }
        byIntersection["\(first.0.name)×\(second.0.name)"] = balance(names, labels: all.labels)
      }
    }
    var profile = DatasetProfile(
      path: dataset.url.path, name: metadata.header.name, version: metadata.header.version, format: metadata.format,
      fingerprint: metadata.fingerprint, rowCount: metadata.rowCount, featureCount: width, splits: metadata.splitSizes,
      labelName: metadata.labelName, labelKind: metadata.labelKind, classes: metadata.classes, features: features,
      sensitive: groups.map { ColumnProfile.profile(rows: $0.1.map { [$0] }, columns: [$0.0.name], numeric: [])[0] },
      labelBalance: Balance(rows: all.rowCount, positives: metadata.labelKind == .binary ? all.labels.filter { $0 == 1 }.count : 0),
      balanceByGroup: byGroup, balanceByIntersection: byIntersection, duplicates: duplicates)
    switch metadata.labelKind {
    case .binary: break
    case .multiclass:
      let classNames = all.labels.map { metadata.classes[Int($0)] }
      profile.classCounts = classCounts(classNames, classes: metadata.classes)
      profile.classCountsByGroup = Dictionary(uniqueKeysWithValues: groups.map { attribute, names in
        (attribute.name, Dictionary(grouping: names.indices, by: { names[$0] }).mapValues { rows in
          classCounts(rows.map { classNames[$0] }, classes: metadata.classes)
        })
      })
    case .regression:
      let targets = all.targets.map(Double.init)
      profile.targetStatistics = TargetStatistics(targets)
      profile.targetStatisticsByGroup = Dictionary(uniqueKeysWithValues: groups.map { attribute, names in
        (attribute.name, Dictionary(grouping: names.indices, by: { names[$0] }).mapValues { rows in TargetStatistics(rows.map { targets[$0] }) })
      })
    }
    return profile
  }

  /// Rows per class, every class present (0 when absent).
  private static func classCounts(_ names: [String], classes: [String]) -> [String: Int] {
    var counts = Dictionary(uniqueKeysWithValues: classes.map { ($0, 0) })
    for name in names { counts[name, default: 0] += 1 }
    return counts
  }

  private static func balance(_ names: [String], labels: [Int32]) -> [String: Balance] {
    var result: [String: Balance] = [:]
    for (name, label) in zip(names, labels) {
      result[name, default: Balance(rows: 0, positives: 0)].rows += 1
      if label == 1 { result[name]!.positives += 1 }
    }
    return result
  }

  private static func pairs<T>(_ items: [T]) -> [(T, T)] {
    var result: [(T, T)] = []
    for i in items.indices { for j in items.indices where j > i { result.append((items[i], items[j])) } }
    return result
  }
}
