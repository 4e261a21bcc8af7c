import Foundation
import KilnData
import KilnNN
import Testing
@testable import KilnRobustness

@Suite struct FeatureLayoutTests {
  @Test func numericsCarryTheirImputedValueInStandardisedUnits() throws {
    let layout = try FeatureLayout(encoding: RobustnessFixture.encoding)
    #expect(layout.featureCount == 2 + 1 + 4 + 1 + 3)
    #expect(layout.numeric.map(\.index) == [0, 2])
    #expect(abs(Double(layout.numeric[0].imputedValue) - (0.5 - 0.1) / 2) < 1e-7)
    #expect(abs(Double(layout.numeric[1].imputedValue) - (-0.3 + 0.2) / 0.5) < 1e-6)
    #expect(layout.numeric[0].indicatorIndex == 1)
  }

  @Test func oneHotGroupsExcludeTheirIndicatorAndSensitiveGroupsAreImmutable() throws {
    let layout = try FeatureLayout(encoding: RobustnessFixture.encoding)
    #expect(layout.categorical.map(\.columns) == [3..<7, 8..<11])
    #expect(layout.categorical[0].indicatorIndex == 7)
    #expect(layout.categorical[0].imputedPosition == 1)
    #expect(layout.categorical.map(\.isImmutable) == [false, true])
    #expect(layout.immutableColumns == [8, 9, 10])
    #expect(layout.attackMask == [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
  }

  @Test func namedFeaturesBecomeImmutable() throws {
    let layout = try FeatureLayout(encoding: RobustnessFixture.encoding, immutable: ["x2"])
    #expect(layout.attackMask == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
  }

  @Test func anUnknownImmutableNameIsAnErrorListingTheFeatures() {
    #expect {
      _ = try FeatureLayout(encoding: RobustnessFixture.encoding, immutable: ["height"])
    } throws: { error in
      "\(error)".contains("height") && "\(error)".contains("x1, x2, color, sex")
    }
  }
}
