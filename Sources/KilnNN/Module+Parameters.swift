import KilnOutput
import KilnAutograd
import KilnTensor
/// A parameter assignment that does not fit the module (e.g. a checkpoint from another model).
public struct ParameterError: KilnError, Sendable {
  public enum Kind: Sendable { case unknownPath, shapeMismatch, missingPath }
  public let kind: Kind
  public let path: String
  public let message: String
  public let hint: String?
}

extension Module {
  /// The dotted paths of all parameters, in order.
  public var parameterPaths: [String] { namedParameters.map(\.path) }

  /// Every parameter's path and value, in order.
  public var namedParameters: [(path: String, value: Tensor)] {
    var copy = self
    var result: [(path: String, value: Tensor)] = []
    copy.visitParameters(prefix: "") { path, parameter in result.append((path, parameter.value)) }
    return result
  }

  /// The total number of trainable scalars.
  public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.value.scalarCount } }

  /// The value of the parameter at `path`, if there is one.
  public func parameter(at path: String) -> Tensor? {
    namedParameters.first { $0.path == path }?.value
  }

  /// Replaces the parameter at `path`; the shape must match.
  public mutating func setParameter(_ value: Tensor, at path: String) throws {
    var found = false
    var mismatch: [Int]?
    visitParameters(prefix: "") { candidate, parameter in
      guard candidate == path else { return }
      found = true
      if parameter.shape == value.shape { parameter = Variable(value) } else { mismatch = parameter.shape }
    }
    if let mismatch {
      throw ParameterError(kind: .shapeMismatch, path: path,
                           message: "parameter \(path) has shape \(mismatch), the new value has \(value.shape)",
                           hint: "load parameters saved from a model with the same layer sizes")
    }
    if !found {
      throw ParameterError(kind: .unknownPath, path: path, message: "the model has no parameter \(path)",
                           hint: "known parameters: \(parameterPaths.joined(separator: ", "))")
    }
  }

  /// Replaces every parameter from `values` keyed by path; every path must be present and known.
  public mutating func loadParameters(_ values: [String: Tensor]) throws {
    let known = Set(parameterPaths)
    if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
      throw ParameterError(kind: .unknownPath, path: unknown, message: "the model has no parameter \(unknown)",
                           hint: "known parameters: \(parameterPaths.joined(separator: ", "))")
    }
    if let missing = parameterPaths.first(where: { values[$0] == nil }) {
      throw ParameterError(kind: .missingPath, path: missing, message: "no value given for parameter \(missing)",
                           hint: "save and load all parameters of the model together")
    }
    for path in parameterPaths { try setParameter(values[path]!, at: path) }
  }

  /// All parameters concatenated in order into one buffer (for broadcasts and checksums).
  public func flattenedParameters() -> Tensor {
    let named = namedParameters
    return Gradients(paths: named.map(\.path), tensors: named.map(\.value)).flattened()
  }

  /// Replaces all parameters from one buffer laid out as `flattenedParameters()`.
  public mutating func assignFlattenedParameters(_ flat: Tensor) {
    let named = namedParameters
    var buffer = Gradients(paths: named.map(\.path), tensors: named.map(\.value))
    buffer.assign(flattened: flat)
    var index = 0
    visitParameters(prefix: "") { _, parameter in
      parameter = Variable(buffer.tensors[index])
      index += 1
    }
  }

  /// A copy whose parameters are constants: calling it records nothing on any tape, even inside a
  /// gradient computation (the no-gradient scope for evaluation).
  public func detached() -> Self {
    var copy = self
    copy.visitParameters(prefix: "") { _, parameter in parameter = parameter.detached() }
    return copy
  }
}

/// Evaluates `function` on `model` and returns the loss and its gradient with respect to every
/// parameter of `model` (same paths, same order, same shapes):
/// `let (loss, gradients) = valueWithGradient(at: model) { model in loss(model(x), y) }`.
public func valueWithGradient<Model: Module>(
  at model: Model, _ function: (Model) -> Variable
) -> (value: Tensor, gradients: Gradients) {
  var paths: [String] = []
  var values: [Tensor] = []
  var copy = model
  copy.visitParameters(prefix: "") { path, parameter in
    paths.append(path)
    values.append(parameter.value)
  }
  let (value, gradients) = valueWithGradient(at: values) { variables in
    var tracked = model
    var index = 0
    tracked.visitParameters(prefix: "") { _, parameter in
      parameter = variables[index]
      index += 1
    }
    return function(tracked)
  }
  return (value, Gradients(paths: paths, tensors: gradients))
}
