import Foundation

/// Summary of one column: type, missing and distinct counts, numeric statistics or top categories.
public struct ColumnProfile: Codable, Sendable, Equatable {
  public enum Kind: String, Codable, Sendable { case numeric, categorical }

  public struct CategoryCount: Codable, Sendable, Equatable {
    public var value: String
    public var count: Int
  }

  public var name: String
  public var kind: Kind
  public var count: Int
  public var missing: Int
  public var distinct: Int
  public var minimum: Double?
  public var maximum: Double?
  public var mean: Double?
  public var standardDeviation: Double?
  /// The five most frequent values (categorical columns).
  public var topCategories: [CategoryCount]

  /// Profiles raw string columns (`nil` = missing).
  static func profile(rows: [[String?]], columns: [String], numeric: Set<String>) -> [ColumnProfile] {
    columns.enumerated().map { index, name in
      let values = rows.compactMap { $0[index] }
      if numeric.contains(name) {
        return numericProfile(name: name, values: values.compactMap(Double.init), missing: rows.count - values.count)
      }
      var counts: [String: Int] = [:]
      for value in values { counts[value, default: 0] += 1 }
      let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(5)
      return ColumnProfile(name: name, kind: .categorical, count: rows.count, missing: rows.count - values.count,
                           distinct: counts.count, minimum: nil, maximum: nil, mean: nil, standardDeviation: nil,
                           topCategories: top.map { CategoryCount(value: $0.key, count: $0.value) })
    }
  }

  /// Profiles numbers.
  static func numericProfile(name: String, values: [Double], missing: Int) -> ColumnProfile {
    let (mean, deviation) = meanAndDeviation(values)
    return ColumnProfile(name: name, kind: .numeric, count: values.count + missing, missing: missing,
                         distinct: Set(values).count, minimum: values.min(), maximum: values.max(),
                         mean: values.isEmpty ? nil : mean, standardDeviation: values.isEmpty ? nil : deviation,
                         topCategories: [])
  }
}
