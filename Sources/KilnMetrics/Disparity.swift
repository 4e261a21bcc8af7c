/// How a disparity compares groups: with each other, or each with the overall value.
public enum DisparityMethod: String, CaseIterable, Codable, Sendable {
  /// Largest group value against the smallest.
  case betweenGroups = "between_groups"
  /// Each group against the value over all rows; the worst is reported.
  case toOverall = "to_overall"
}

/// Group minimum, maximum, difference and ratio over per-group values, with fairlearn 0.15's
/// semantics: NaN values and groups not `included` (empty, or below the minimum size) are skipped;
/// a statistic over no values is NaN.
///
/// - difference, between groups: max − min. To overall: max over groups of |group − overall|.
/// - ratio, between groups: min / max (0/0 is NaN). To overall: min over groups of group/overall,
///   where a ratio r > 1 counts as 1/r.
public enum Disparity {
  /// The smallest included, non-NaN value (NaN when there is none).
  public static func groupMin(_ values: [Double], included: [Bool]) -> Double {
    var result = Double.nan
    for index in values.indices where included[index] && !values[index].isNaN {
      if result.isNaN || values[index] < result { result = values[index] }
    }
    return result
  }

  /// The largest included, non-NaN value (NaN when there is none).
  public static func groupMax(_ values: [Double], included: [Bool]) -> Double {
    var result = Double.nan
    for index in values.indices where included[index] && !values[index].isNaN {
      if result.isNaN || values[index] > result { result = values[index] }
    }
    return result
  }

  /// The difference of `values` by `method` (see the type's documentation).
  public static func difference(_ values: [Double], included: [Bool], overall: Double, method: DisparityMethod) -> Double {
    switch method {
    case .betweenGroups:
      return groupMax(values, included: included) - groupMin(values, included: included)
    case .toOverall:
      var result = Double.nan
      for index in values.indices where included[index] {
        let gap = abs(values[index] - overall)
        if !gap.isNaN && (result.isNaN || gap > result) { result = gap }
      }
      return result
    }
  }

  /// The ratio of `values` by `method` (see the type's documentation).
  public static func ratio(_ values: [Double], included: [Bool], overall: Double, method: DisparityMethod) -> Double {
    switch method {
    case .betweenGroups:
      return groupMin(values, included: included) / groupMax(values, included: included)
    case .toOverall:
      var result = Double.nan
      for index in values.indices where included[index] {
        var ratio = values[index] / overall
        if ratio > 1 { ratio = 1 / ratio }
        if !ratio.isNaN && (result.isNaN || ratio < result) { result = ratio }
      }
      return result
    }
  }

  /// Python's built-in `max(a, b)`: returns `a` unless `b > a` (so a NaN first argument wins,
  /// and a NaN second argument is ignored), as fairlearn's `agg="worst_case"` applies it.
  public static func pythonMax(_ a: Double, _ b: Double) -> Double { b > a ? b : a }

  /// Python's built-in `min(a, b)`: returns `a` unless `b < a`.
  public static func pythonMin(_ a: Double, _ b: Double) -> Double { b < a ? b : a }

  /// The pandas mean: the average of the non-NaN values, NaN when all are NaN.
  public static func meanSkippingNaN(_ values: Double...) -> Double {
    let defined = values.filter { !$0.isNaN }
    return defined.isEmpty ? .nan : defined.reduce(0, +) / Double(defined.count)
  }
}
