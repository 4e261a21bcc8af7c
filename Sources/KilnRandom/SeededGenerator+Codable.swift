import Foundation

/// The encoded form is the one the generator had when it stored its state as an array:
/// `{"state": [w0, w1, w2, w3], "cachedNormal": x}`, with `cachedNormal` left out when there is none.
extension SeededGenerator: Codable {
  private enum CodingKeys: String, CodingKey {
    case state
    case cachedNormal
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let words = try container.decode([UInt64].self, forKey: .state)
    guard words.count == 4, !words.allSatisfy({ $0 == 0 }) else {
      throw DecodingError.dataCorruptedError(
        forKey: .state, in: container,
        debugDescription: "SeededGenerator state must be 4 words, not all zero; got \(words). "
          + "Hint: the saved generator state is damaged; restore it from an intact file or start from a seed.")
    }
    self.init(state: words, cachedNormal: try container.decodeIfPresent(Double.self, forKey: .cachedNormal))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(state, forKey: .state)
    try container.encodeIfPresent(cachedNormal, forKey: .cachedNormal)
  }
}
