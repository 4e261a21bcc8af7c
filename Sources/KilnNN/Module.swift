import KilnAutograd

/// A value that owns trainable parameters, addressed by stable dotted paths (`layers.0.weight`).
///
/// Conformers list their parameters (and those of their sub-modules, under a prefix) in a fixed
/// order. That order is the contract other parts rely on: gradients come back in it, optimizers keep
/// their state in it, checkpoints store parameters under these paths, and distributed training
/// flattens all gradients into one buffer in it.
public protocol Module {
  /// Calls `visit` with the dotted path (starting with `prefix`) and the storage of every
  /// parameter, in a stable order. `visit` may replace the variable.
  mutating func visitParameters(prefix: String, _ visit: (String, inout Variable) -> Void)

  /// Calls `visit` with every parameter's path and kind, in `visitParameters` order. The default
  /// tells biases from weights by name (`ParameterKind`); normalisation layers say so themselves.
  func visitParameterKinds(prefix: String, _ visit: (String, ParameterKind) -> Void)

  /// Turns training-only behaviour (dropout) on or off, in this module and its sub-modules.
  mutating func setTraining(_ isTraining: Bool)
}

extension Module {
  /// Modules without training-only behaviour ignore the mode.
  public mutating func setTraining(_ isTraining: Bool) {}
}

/// A module that maps one variable to another.
public protocol Layer: Module {
  func callAsFunction(_ input: Variable) -> Variable
}
