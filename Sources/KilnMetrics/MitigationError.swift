import KilnOutput

/// A mitigation that cannot be fitted or applied to the data it was given.
public struct MitigationError: KilnError, Equatable {
  public var message: String
  public var hint: String?

  public init(_ message: String, hint: String? = nil) {
    self.message = message
    self.hint = hint
  }

  static func degenerateLabels(group: String, grouping: String, label: Int) -> MitigationError {
    MitigationError("group `\(group)` of `\(grouping)` has only \(label == 1 ? "positive" : "negative") labels: "
                    + "no threshold can trade its errors off",
                    hint: "fit on a larger split, or merge the group with another before mitigating")
  }

  static func unknownGroup(_ group: String, grouping: String, known: [String]) -> MitigationError {
    MitigationError("`\(grouping)` = `\(group)` has no fitted threshold (the model knows: \(known.joined(separator: ", ")))",
                    hint: "the group never occurred where the thresholds were fitted; refit them on data holding it")
  }
}
