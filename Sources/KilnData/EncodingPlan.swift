import Foundation

/// Turns a recipe's column choices into a `DatasetEncoding` learned from train rows.
struct EncodingPlan {
  let recipe: DatasetRecipe
  let columns: [String]

  init(recipe: DatasetRecipe, columns: [String]) {
    self.recipe = recipe
    self.columns = columns
  }

  /// Raw columns that are model inputs, in file order (a plain sensitive column with
  /// `input: false` is left out).
  var featureColumns: [String] {
    let excluded = Set(recipe.sensitive.filter { $0.map == nil && $0.bins == nil && !$0.input }.map(\.column))
    let declared = Set(recipe.columns.numeric + recipe.columns.categorical)
    return columns.filter { declared.contains($0) && !excluded.contains($0) }
  }

  /// Indices of the columns whose missing values the policy considers.
  var usedColumns: [Int] { featureColumns.map { columns.firstIndex(of: $0)! } }

  /// Learns statistics and categories from `trainRows`; sensitive categories come from `allRows`.
  func learn(from trainRows: [[String?]], allRows: [[String?]]) -> DatasetEncoding {
    let numeric = Set(recipe.columns.numeric)
    let impute = recipe.missingPolicy == .impute
    let standardize = recipe.encoding?.numeric != DatasetRecipe.NumericEncoding.none
    var blocks: [FeatureBlock] = featureColumns.map { column in
      let index = columns.firstIndex(of: column)!
      let values = trainRows.compactMap { $0[index] }
      let indicator = impute && values.count < trainRows.count
      if numeric.contains(column) {
        let numbers = values.compactMap(Double.init)
        let (mean, deviation) = meanAndDeviation(numbers)
        return FeatureBlock(kind: .numeric, column: column, name: column,
                            mean: standardize ? mean : 0, scale: standardize && deviation > 0 ? deviation : 1,
                            fill: median(numbers).map { String($0) }, indicator: indicator)
      }
      return FeatureBlock(kind: .categorical, column: column, name: column, fill: mode(values),
                          categories: Array(Set(values)).sorted(), indicator: indicator)
    }
    let sensitive = recipe.sensitive.map { spec -> SensitiveEncoding in
      let derivation = SensitiveDerivation(map: spec.map, edges: spec.bins?.edges, labels: spec.bins?.labels)
      let index = columns.firstIndex(of: spec.column)!
      let categories: [String]
      if let bins = spec.bins { categories = bins.labels } else if let map = spec.map {
        categories = Array(Set(map.values)).sorted()
      } else {
        categories = Array(Set(allRows.compactMap { $0[index] })).sorted()
      }
      return SensitiveEncoding(name: spec.name, column: spec.column, derivation: derivation,
                               categories: categories, isModelInput: spec.input)
    }
    for (spec, attribute) in zip(recipe.sensitive, sensitive) where spec.input && (spec.map != nil || spec.bins != nil) {
      blocks.append(FeatureBlock(kind: .derived, column: spec.column, name: spec.name,
                                 categories: attribute.categories, derivation: attribute.derivation))
    }
    return DatasetEncoding(rawColumns: columns, missingTokens: recipe.format.missing, missingPolicy: recipe.missingPolicy,
                           blocks: blocks, sensitive: sensitive, label: recipe.label, format: recipe.format)
  }
}

/// Mean and population standard deviation, σ = √(Σ(x − μ)² / n).
func meanAndDeviation(_ values: [Double]) -> (Double, Double) {
  guard !values.isEmpty else { return (0, 0) }
  let mean = values.reduce(0, +) / Double(values.count)
  let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
  return (mean, variance.squareRoot())
}

/// The median (mean of the two middle values for an even count).
func median(_ values: [Double]) -> Double? {
  guard !values.isEmpty else { return nil }
  let sorted = values.sorted()
  let middle = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// The most frequent value (the smallest by name among ties, so the result is deterministic).
func mode(_ values: [String]) -> String? {
  var counts: [String: Int] = [:]
  for value in values { counts[value, default: 0] += 1 }
  return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
}
