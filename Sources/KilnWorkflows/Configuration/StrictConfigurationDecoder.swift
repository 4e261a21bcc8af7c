import Foundation

/// Decodes `Decodable` configuration structures from a `ConfigurationNode` tree, strictly:
/// wrong types name the key path and location, and (checked after decoding) keys that no
/// structure asked for are reported with the nearest valid key.
///
/// It records where each decoded key path came from, so range checks made after decoding
/// (`ExperimentConfiguration.validate`) can point at the same line.
final class StrictConfigurationDecoder {
  /// Key path → location, for every value decoded.
  private(set) var locations: [String: String] = [:]

  func decode<T: Decodable>(_ type: T.Type, from root: ConfigurationNode) throws -> T {
    let value = try T(from: NodeDecoder(node: root, path: [], owner: self))
    let unknown = root.unknownKeyProblems()
    if !unknown.isEmpty { throw ConfigurationError(unknown) }
    return value
  }

  fileprivate func record(_ path: [CodingKey], _ location: String) {
    locations[StrictConfigurationDecoder.dotted(path)] = location
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
}

/// A closed set of names in a configuration (optimizer kinds, activations…): an unknown name is
/// an error listing the valid ones and suggesting the nearest.
public protocol ConfigurationName: CaseIterable, RawRepresentable, Codable where RawValue == String {}

extension ConfigurationName {
  public init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    if let value = Self(rawValue: text) {
      self = value
      return
    }
    let names = Self.allCases.map(\.rawValue)
    let suggestion = nearestKey(to: text, among: names)
    throw ConfigurationError(.wrongType, location: decoder.userInfo[.configurationLocation] as? String ?? "",
                             keyPath: StrictConfigurationDecoder.dotted(decoder.codingPath),
                             "`\(text)` is not one of \(names.joined(separator: ", "))",
                             hint: suggestion.map { "did you mean `\($0)`?" })
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
  var userInfo: [CodingUserInfoKey: Any] { [.configurationLocation: node.location] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .mapping(let pairs) = node.kind else { throw wrongType(node, path, expected: "a section with keys") }
    node.decodedAsStructure = true
    return KeyedDecodingContainer(KeyedNodeContainer<Key>(node: node, pairs: pairs, path: path, owner: owner))
  }

  func unkeyedContainer() throws -> UnkeyedDecodingContainer {
    guard case .sequence(let items) = node.kind else { throw wrongType(node, path, expected: "a list") }
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

  private func value(for key: Key) throws -> ConfigurationNode {
    node.requestedKeys.insert(key.stringValue)
    guard let pair = pairs.first(where: { $0.key == key.stringValue }) else {
      throw ConfigurationError(.missingKey, location: node.location,
                               keyPath: StrictConfigurationDecoder.dotted(path + [key]), "this key is required",
                               hint: "add `\(key.stringValue):` to the section")
    }
    return pair.value
  }

  func decodeNil(forKey key: Key) throws -> Bool {
    let child = try value(for: key)
    if case .scalar(_, true) = child.kind { return true }
    return false
  }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    let child = try value(for: key)
    return try T(from: NodeDecoder(node: child, path: path + [key], owner: owner))
  }

  func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    node.requestedKeys.insert(key.stringValue)
    guard let pair = pairs.first(where: { $0.key == key.stringValue }) else { return nil }
    if case .scalar(_, true) = pair.value.kind { return nil }
    return try T(from: NodeDecoder(node: pair.value, path: path + [key], owner: owner))
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
    try NodeDecoder(node: try value(for: key), path: path + [key], owner: owner).container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
    try NodeDecoder(node: try value(for: key), path: path + [key], owner: owner).unkeyedContainer()
  }

  func superDecoder() throws -> Decoder { NodeDecoder(node: node, path: path, owner: owner) }
  func superDecoder(forKey key: Key) throws -> Decoder { NodeDecoder(node: try value(for: key), path: path + [key], owner: owner) }
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
    return try T(from: NodeDecoder(node: node, path: childPath, owner: owner))
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
    if case .scalar(_, true) = node.kind { return true }
    return false
  }

  private func scalar(_ expected: String) throws -> String {
    guard case .scalar(let text, false) = node.kind else { throw wrongType(node, path, expected: expected) }
    owner.record(path, node.location)
    return text
  }

  func decode(_ type: Bool.Type) throws -> Bool {
    switch try scalar("true or false") {
    case "true", "True", "TRUE", "yes", "Yes", "on": return true
    case "false", "False", "FALSE", "no", "No", "off": return false
    default: throw wrongType(node, path, expected: "true or false")
    }
  }

  func decode(_ type: String.Type) throws -> String { try scalar("a string") }

  func decode(_ type: Double.Type) throws -> Double {
    let text = try scalar("a number")
    let normalised = text.replacingOccurrences(of: "_", with: "")
    switch normalised {
    case ".inf", "+.inf", ".Inf": return .infinity
    case "-.inf", "-.Inf": return -.infinity
    case ".nan", ".NaN": return .nan
    default: break
    }
    guard let value = Double(normalised) else { throw wrongType(node, path, expected: "a number") }
    return value
  }

  func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

  func decode(_ type: Int.Type) throws -> Int {
    let text = try scalar("a whole number").replacingOccurrences(of: "_", with: "")
    if let value = Int(text) { return value }
    // Accept 1e3 or 256.0 when the value is whole.
    if let value = Double(text), value.rounded() == value, abs(value) < 9e15 { return Int(value) }
    throw wrongType(node, path, expected: "a whole number")
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
      throw ConfigurationError(.outOfRange, location: node.location, keyPath: StrictConfigurationDecoder.dotted(path),
                               "\(value) is outside \(T.min)...\(T.max)")
    }
    return narrowed
  }

  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try T(from: NodeDecoder(node: node, path: path, owner: owner))
  }
}
