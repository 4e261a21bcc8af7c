import Foundation
import Testing
import KilnRandom

/// The encoded form is the one the array-backed generator had: `state` as four integers and
/// `cachedNormal` only when one is cached.
@Suite struct SeededGeneratorCodableTests {
  static func sortedJSON(_ generator: SeededGenerator) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(generator), as: UTF8.self)
  }

  @Test func encodingWithoutACachedNormalIsTheStateAlone() throws {
    #expect(try Self.sortedJSON(SeededGenerator(seed: 42))
            == #"{"state":[13679457532755275413,2949826092126892291,5139283748462763858,6349198060258255764]}"#)
  }

  @Test func encodingWithACachedNormalMatchesTheFormerForm() throws {
    var generator = SeededGenerator(seed: 42, stream: 3)
    _ = generator.nextNormal()
    #expect(try Self.sortedJSON(generator) == #"{"cachedNormal":0.480545431336384,"state":"#
            + "[5151705253781714032,10879375532312719918,9525930730907883136,16409209118438320087]}")
  }

  @Test func decodingTheFormerFormRestoresStateAndCachedNormal() throws {
    let text = #"{"cachedNormal":0.480545431336384,"state":[5151705253781714032,10879375532312719918,9525930730907883136,16409209118438320087]}"#
    let generator = try JSONDecoder().decode(SeededGenerator.self, from: Data(text.utf8))
    var expected = SeededGenerator(seed: 42, stream: 3)
    _ = expected.nextNormal()
    #expect(generator == expected)
    #expect(generator.cachedNormal?.bitPattern == 4_602_328_356_819_910_453)
  }

  @Test func decodingAStateWithTheWrongWordCountThrows() {
    let text = #"{"state":[1,2,3]}"#
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(SeededGenerator.self, from: Data(text.utf8)) }
  }

  @Test func equalityComparesStateAndCachedNormal() {
    var first = SeededGenerator(seed: 3)
    let second = SeededGenerator(seed: 3)
    #expect(first == second)
    _ = first.next()
    #expect(first != second)
  }
}
