import Foundation
import Testing
@testable import KilnSweep

@Suite struct ParameterDistributionTests {
  @Test func logarithmicFloatSearchesTheLogarithm() {
    let distribution = ParameterDistribution.float(low: 1e-4, high: 1e-1, scale: .logarithmic, step: nil)
    let bounds = distribution.searchBounds
    #expect(abs(bounds.low - log(1e-4)) < 1e-12)
    #expect(abs(bounds.high - log(1e-1)) < 1e-12)
    let value = distribution.value(atSearchCoordinate: log(1e-3))
    #expect(abs(value.numericValue! - 1e-3) < 1e-15)
  }

  @Test func steppedFloatSnapsToItsGridAndStaysInRange() {
    let distribution = ParameterDistribution.float(low: 0, high: 1, scale: .linear, step: 0.25)
    #expect(distribution.value(atSearchCoordinate: 0.3) == .float(0.25))
    #expect(distribution.value(atSearchCoordinate: 1.12) == .float(1))
    #expect(distribution.value(atSearchCoordinate: -0.12) == .float(0))
    #expect(distribution.contains(.float(0.75)))
    #expect(!distribution.contains(.float(0.7)))
    #expect(distribution.searchBounds == (-0.125, 1.125))
  }

  @Test func integerRangesGiveEveryValueAnEqualCell() {
    let linear = ParameterDistribution.integer(low: 2, high: 10, scale: .linear, step: 2)
    #expect(linear.searchBounds == (1, 11))
    #expect(linear.value(atSearchCoordinate: 4.9) == .integer(4))
    #expect(linear.value(atSearchCoordinate: 5.1) == .integer(6))
    #expect(!linear.contains(.integer(5)))
    let logarithmic = ParameterDistribution.integer(low: 1, high: 100, scale: .logarithmic, step: 1)
    #expect(abs(logarithmic.searchBounds.low - log(0.5)) < 1e-12)
    #expect(logarithmic.value(atSearchCoordinate: log(37.2)) == .integer(37))
  }

  @Test func categoricalCoordinatesAreChoiceIndices() {
    let distribution = ParameterDistribution.categorical([.string("relu"), .string("tanh"), .string("gelu")])
    #expect(distribution.searchCoordinate(of: .string("gelu")) == 2)
    #expect(distribution.value(atSearchCoordinate: 1) == .string("tanh"))
    #expect(distribution.searchCoordinate(of: .string("elu")) == nil)
  }

  @Test func coercionTurnsGridIntegersIntoFloats() {
    let distribution = ParameterDistribution.float(low: 0, high: 10, scale: .linear, step: nil)
    #expect(distribution.coerced(.integer(3)) == .float(3))
    let integers = ParameterDistribution.integer(low: 0, high: 10, scale: .linear, step: 1)
    #expect(integers.coerced(.float(4)) == .integer(4))
  }

  @Test func parameterValuesEncodeAsOneKeyObjects() throws {
    let values: [ParameterValue] = [.float(0.001), .integer(3), .string("relu"), .bool(true)]
    let text = String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
    #expect(text == #"[{"float":0.001},{"integer":3},{"string":"relu"},{"bool":true}]"#)
    #expect(try JSONDecoder().decode([ParameterValue].self, from: Data(text.utf8)) == values)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(ParameterValue.self, from: Data("{}".utf8)) }
  }
}
