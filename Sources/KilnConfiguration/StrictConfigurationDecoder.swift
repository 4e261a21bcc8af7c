import Foundation

/// Decodes `Decodable` configuration structures from a `ConfigurationNode` tree, strictly:
/// wrong types name the key path and location, and (checked after decoding) keys that no
/// structure asked for are reported with the nearest valid key.
///
/// A problem does not stop decoding: a missing key, a wrong type, an unknown name or a
/// non-finite number is recorded and a placeholder value stands in for it, so every structure
/// is still read and the error lists every problem in the file at once — a misspelt
/// `epochz:` is named as an unknown key beside `epochs` being required.
///
/// It records where each decoded key path came from, so range checks made after decoding
/// (`ExperimentConfiguration.validate`) can point at the same line.
package final class StrictConfigurationDecoder {
  /// Key path → location, for every value decoded.
  package private(set) var locations: [String: String] = [:]
  /// Problems met while decoding, in the order they were met.
  private var problems: [ConfigurationError.Problem] = []

  package init() {}

  package func decode<T: Decodable>(_ type: T.Type, from root: ConfigurationNode) throws -> T {
    var value: T?
    do {
      value = try T(from: NodeDecoder(node: root, path: [], owner: self))
    } catch let error as ConfigurationError {
      problems += error.problems
    }
    let all = ConfigurationError.Problem.inFileOrder(problems + root.unknownKeyProblems())
    guard let value, all.isEmpty else { throw ConfigurationError(all) }
    return value
  }

  fileprivate func record(_ path: [CodingKey], _ location: String) {
    locations[StrictConfigurationDecoder.dotted(path)] = location
  }

  /// Notes a problem; decoding goes on with a placeholder value.
  fileprivate func report(_ error: ConfigurationError) {
    problems += error.problems
  }

  static func dotted(_ path: [CodingKey]) -> String {
    var text = ""
    for key in path {
      if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
    }
    return text
  }
}

extension CodingUserInfoKey {
  /// The location (`file:line:column`) of the node a configuration decoder is reading.
  static let configurationLocation = CodingUserInfoKey(rawValue: "kiln.configuration.location")!
  /// The `StrictConfigurationDecoder` reading, to report a problem and go on.
  static let configurationDecoder = CodingUserInfoKey(rawValue: "kiln.configuration.decoder")!
  /// `true` when the node holds no text (a placeholder for a missing value, a section, a list,
  /// nothing): the container reports that problem, so a reader of names should not again.
  static let configurationPlaceholder = CodingUserInfoKey(rawValue: "kiln.configuration.placeholder")!
}

/// A value that stands in for one whose own decoding found a problem, so the rest is still read.
protocol ConfigurationPlaceholder {
  static var placeholder: Self { get }
}

/// A closed set of names in a configuration (optimizer kinds, activations…): an unknown name is
/// an error listing the valid ones and suggesting the nearest.
public protocol ConfigurationName: CaseIterable, RawRepresentable, Codable where RawValue == String {}

extension ConfigurationName {
  public init(from decoder: Decoder) throws {
    self = try Self.decodeName(from: decoder)
  }

  static func decodeName(from decoder: Decoder) throws -> Self {
    let text = try decoder.singleValueContainer().decode(String.self)
    if let value = Self(rawValue: text) { return value }
    let names = Self.allCases.map(\.rawValue)
    let suggestion = nearestKey(to: text, among: names)
    let error = ConfigurationError(.wrongType, location: decoder.userInfo[.configurationLocation] as? String ?? "",
                                   keyPath: StrictConfigurationDecoder.dotted(decoder.codingPath),
                                   "`\(text)` is not one of \(names.joined(separator: ", "))",
                                   hint: suggestion.map { "did you mean `\($0)`?" })
    // Under the strict decoder, a placeholder (or a reported unknown name) becomes the first
    // name, so decoding reads on and collects the file's other problems.
    guard let strict = decoder.userInfo[.configurationDecoder] as? StrictConfigurationDecoder,
          let first = Self.allCases.first else { throw error }
    if decoder.userInfo[.configurationPlaceholder] as? Bool != true { strict.report(error) }
    return first
  }
}

private struct IndexKey: CodingKey {
  let intValue: Int?
  let stringValue: String
  init(_ index: Int) { intValue = index; stringValue = String(index) }
  init?(intValue: Int) { self.init(intValue) }
  init?(stringValue: String) { return nil }
}

private struct NameKey: CodingKey {
  let stringValue: String
  var intValue: Int? { nil }
  init(_ name: String) { stringValue = name }
  init?(stringValue: String) { self.init(stringValue) }
  init?(intValue: Int) { return nil }
}

private func typeName(_ node: ConfigurationNode) -> String {
  switch node.kind {
  case .mapping: return "a section with keys"
  case .sequence: return "a list"
  case .scalar(let text, let isNull): return isNull ? "nothing" : "`\(text)`"
  }
}

private func wrongType(_ node: ConfigurationNode, _ path: [CodingKey], expected: String) -> ConfigurationError {
  ConfigurationError(.wrongType, location: node.location, keyPath: StrictConfigurationDecoder.dotted(path),
                     "expected \(expected), found \(typeName(node))")
}

private struct NodeDecoder: Decoder {
  let node: ConfigurationNode
  let path: [CodingKey]
  let owner: StrictConfigurationDecoder
  var codingPath: [CodingKey] { path }
  var userInfo: [CodingUserInfoKey: Any] {
    [.configurationLocation: node.location, .configurationDecoder: owner, .configurationPlaceholder: !node.holdsText]
  }

  /// A value of `T` read from this node; a `ConfigurationName` (also one declared on another
  /// module's type, such as `MetricDirection`) is read as a name, with its did-you-mean.
  /// A type that checks its own grammar (a `Gate`) throws `DecodingError.dataCorrupted` at the
  /// offending key; that becomes a problem located at the key, and a `ConfigurationPlaceholder`
  /// stands in for the value so that decoding reads on.
  func decoded<T: Decodable>(_ type: T.Type) throws -> T {
    if let names = T.self as? any ConfigurationName.Type, let name = try names.decodeName(from: self) as? T { return name }
    do {
      return try T(from: self)
    } catch DecodingError.dataCorrupted(let context) {
      let keyPath = StrictConfigurationDecoder.dotted(context.codingPath)
      let problem = ConfigurationError(.outOfRange, location: owner.locations[keyPath] ?? node.location, keyPath: keyPath,
                                       context.debugDescription)
      guard let placeholder = (T.self as? any ConfigurationPlaceholder.Type)?.placeholder as? T else { throw problem }
      owner.report(problem)
      return placeholder
    }
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .mapping(let pairs) = node.kind else {
      if !node.isPlaceholder { owner.report(wrongType(node, path, expected: "a section with keys")) }
      let stand = ConfigurationNode.placeholder(at: node.location)
      return KeyedDecodingContainer(KeyedNodeContainer<Key>(node: stand, pairs: [], path: path, owner: owner))
    }
    node.decodedAsStructure = true
    return KeyedDecodingContainer(KeyedNodeContainer<Key>(node: node, pairs: pairs, path: path, owner: owner))
  }

  func unkeyedContainer() throws -> UnkeyedDecodingContainer {
    guard case .sequence(let items) = node.kind else {
      if !node.isPlaceholder { owner.report(wrongType(node, path, expected: "a list")) }
      return UnkeyedNodeContainer(items: [], path: path, owner: owner)
    }
    return UnkeyedNodeContainer(items: items, path: path, owner: owner)
  }

  func singleValueContainer() throws -> SingleValueDecodingContainer {
    SingleNodeContainer(node: node, path: path, owner: owner)
  }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let node: ConfigurationNode
  let pairs: [(key: String, keyNode: ConfigurationNode, value: ConfigurationNode)]
  let path: [CodingKey]
  let owner: StrictConfigurationDecoder
  var codingPath: [CodingKey] { path }

  /// Reading every key (a dictionary) means the mapping's keys are data, not field names.
  var allKeys: [Key] {
    node.decodedAsStructure = false
    return pairs.compactMap { Key(stringValue: $0.key) }
  }

  func contains(_ key: Key) -> Bool {
    node.requestedKeys.insert(key.stringValue)
    return pairs.contains { $0.key == key.stringValue }
  }

  /// The value under `key`; a missing key is reported (unless this whole section is a
  /// placeholder) and a placeholder stands in.
  private func value(for key: Key) -> ConfigurationNode {
    node.requestedKeys.insert(key.stringValue)
    guard let pair = pairs.first(where: { $0.key == key.stringValue }) else {
      if !node.isPlaceholder {
        owner.report(ConfigurationError(.missingKey, location: node.location,
                                        keyPath: StrictConfigurationDecoder.dotted(path + [key]), "this key is required",
                                        hint: "add `\(key.stringValue):` to the section"))
      }
      return ConfigurationNode.placeholder(at: node.location)
    }
    return pair.value
  }

  func decodeNil(forKey key: Key) throws -> Bool {
    let child = value(for: key)
    if case .scalar(_, true) = child.kind { return true }
    return false
  }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try NodeDecoder(node: value(for: key), path: path + [key], owner: owner).decoded(T.self)
  }

  func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    node.requestedKeys.insert(key.stringValue)
    guard let pair = pairs.first(where: { $0.key == key.stringValue }) else { return nil }
    if case .scalar(_, true) = pair.value.kind { return nil }
    return try NodeDecoder(node: pair.value, path: path + [key], owner: owner).decoded(T.self)
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
    try NodeDecoder(node: value(for: key), path: path + [key], owner: owner).container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
    try NodeDecoder(node: value(for: key), path: path + [key], owner: owner).unkeyedContainer()
  }

  func superDecoder() throws -> Decoder { NodeDecoder(node: node, path: path, owner: owner) }
  func superDecoder(forKey key: Key) throws -> Decoder { NodeDecoder(node: value(for: key), path: path + [key], owner: owner) }
}

private struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
  let items: [ConfigurationNode]
  let path: [CodingKey]
  let owner: StrictConfigurationDecoder
  var currentIndex = 0
  var codingPath: [CodingKey] { path }
  var count: Int? { items.count }
  var isAtEnd: Bool { currentIndex >= items.count }

  init(items: [ConfigurationNode], path: [CodingKey], owner: StrictConfigurationDecoder) {
    self.items = items
    self.path = path
    self.owner = owner
  }

  private mutating func next() -> (ConfigurationNode, [CodingKey]) {
    precondition(!isAtEnd, "decode: read past the end of the list at \(StrictConfigurationDecoder.dotted(path))")
    defer { currentIndex += 1 }
    return (items[currentIndex], path + [IndexKey(currentIndex)])
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd, case .scalar(_, true) = items[currentIndex].kind else { return false }
    currentIndex += 1
    return true
  }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let (node, childPath) = next()
    return try NodeDecoder(node: node, path: childPath, owner: owner).decoded(T.self)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
    let (node, childPath) = next()
    return try NodeDecoder(node: node, path: childPath, owner: owner).container(keyedBy: type)
  }

  mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
    let (node, childPath) = next()
    return try NodeDecoder(node: node, path: childPath, owner: owner).unkeyedContainer()
  }

  mutating func superDecoder() throws -> Decoder {
    let (node, childPath) = next()
    return NodeDecoder(node: node, path: childPath, owner: owner)
  }
}

private struct SingleNodeContainer: SingleValueDecodingContainer {
  let node: ConfigurationNode
  let path: [CodingKey]
  let owner: StrictConfigurationDecoder
  var codingPath: [CodingKey] { path }

  func decodeNil() -> Bool {
    if node.isPlaceholder { return true }
    if case .scalar(_, true) = node.kind { return true }
    return false
  }

  /// The scalar's text, or nil (after reporting a wrong type) when there is none to read.
  private func scalar(_ expected: String) -> String? {
    guard !node.isPlaceholder else { return nil }
    guard case .scalar(let text, false) = node.kind else {
      owner.report(wrongType(node, path, expected: expected))
      return nil
    }
    owner.record(path, node.location)
    return text
  }

  func decode(_ type: Bool.Type) throws -> Bool {
    guard let text = scalar("true or false") else { return false }
    switch text {
    case "true", "True", "TRUE", "yes", "Yes", "on": return true
    case "false", "False", "FALSE", "no", "No", "off": return false
    default:
      owner.report(wrongType(node, path, expected: "true or false"))
      return false
    }
  }

  func decode(_ type: String.Type) throws -> String { scalar("a string") ?? "" }

  /// A finite number: `.inf` and `.nan` (and `inf`, `nan`) are refused here, so no
  /// configuration value downstream — a bound, a rate, a norm — can be non-finite.
  func decode(_ type: Double.Type) throws -> Double {
    guard let text = scalar("a number") else { return 0 }
    let normalised = text.replacingOccurrences(of: "_", with: "")
    let nonFinite = [".inf", "+.inf", "-.inf", ".nan"].contains(normalised.lowercased())
    guard !nonFinite, let value = Double(normalised), value.isFinite else {
      owner.report(nonFinite || Double(normalised) != nil
        ? ConfigurationError(.nonFinite, location: node.location, keyPath: StrictConfigurationDecoder.dotted(path),
                             "expected a finite number, found `\(text)`", hint: "write a number such as 0.5 or 1.0e-3")
        : wrongType(node, path, expected: "a number"))
      return 0
    }
    return value
  }

  func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

  func decode(_ type: Int.Type) throws -> Int {
    guard let text = scalar("a whole number")?.replacingOccurrences(of: "_", with: "") else { return 0 }
    if let value = Int(text) { return value }
    // Accept 1e3 or 256.0 when the value is whole.
    if let value = Double(text), value.rounded() == value, abs(value) < 9e15 { return Int(value) }
    owner.report(wrongType(node, path, expected: "a whole number"))
    return 0
  }

  func decode(_ type: Int8.Type) throws -> Int8 { try narrow(type) }
  func decode(_ type: Int16.Type) throws -> Int16 { try narrow(type) }
  func decode(_ type: Int32.Type) throws -> Int32 { try narrow(type) }
  func decode(_ type: Int64.Type) throws -> Int64 { Int64(try decode(Int.self)) }
  func decode(_ type: UInt.Type) throws -> UInt { try narrow(type) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try narrow(type) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try narrow(type) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try narrow(type) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try narrow(type) }

  private func narrow<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
    let value = try decode(Int.self)
    guard let narrowed = T(exactly: value) else {
      owner.report(ConfigurationError(.outOfRange, location: node.location, keyPath: StrictConfigurationDecoder.dotted(path),
                                      "\(value) is outside \(T.min)...\(T.max)"))
      return 0
    }
    return narrowed
  }

  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try NodeDecoder(node: node, path: path, owner: owner).decoded(T.self)
  }
}
