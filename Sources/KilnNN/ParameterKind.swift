/// What a parameter is, for optimizer parameter groups: by default weights decay, and biases and
/// normalisation parameters do not (as PyTorch users configure it).
public enum ParameterKind: String, Sendable, CaseIterable {
  case weight, bias, normalization
}

extension Module {
  /// Every parameter's path and kind, in parameter order (see `visitParameterKinds`).
  public var parameterKinds: [(path: String, kind: ParameterKind)] {
    var kinds: [(path: String, kind: ParameterKind)] = []
    visitParameterKinds(prefix: "") { kinds.append(($0, $1)) }
    return kinds
  }

  /// By name: a parameter whose last path component is `bias` is a bias, any other a weight.
  /// Normalisation layers override this, and a module holding one forwards to it.
  public func visitParameterKinds(prefix: String, _ visit: (String, ParameterKind) -> Void) {
    var copy = self
    copy.visitParameters(prefix: prefix) { path, _ in
      visit(path, path.split(separator: ".").last == "bias" ? .bias : .weight)
    }
  }
}
