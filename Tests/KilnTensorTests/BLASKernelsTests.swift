import KilnTensor
import Testing

@Suite struct BLASKernelsTests {
  @Test func aFallbackOnAnAVX2ProcessorSelectsHaswellKernels() {
    #expect(BLASKernels.decide(coreName: "Prescott", hasAVX2: true, hasAVX512: false, userCoreType: nil)
      == .select(core: "Haswell", fallback: "Prescott"))
    #expect(BLASKernels.decide(coreName: "Sandybridge", hasAVX2: true, hasAVX512: false, userCoreType: "")
      == .select(core: "Haswell", fallback: "Sandybridge"))
  }

  @Test func aFallbackOnAnAVX512ProcessorSelectsSkylakeXKernels() {
    #expect(BLASKernels.decide(coreName: "Nehalem", hasAVX2: true, hasAVX512: true, userCoreType: nil)
      == .select(core: "SkylakeX", fallback: "Nehalem"))
  }

  @Test func wideVectorKernelsAndOldProcessorsAreLeftAlone() {
    for core in ["Haswell", "Zen", "SkylakeX", "COOPERLAKE"] {
      #expect(BLASKernels.decide(coreName: core, hasAVX2: true, hasAVX512: true, userCoreType: nil) == .keep)
    }
    #expect(BLASKernels.decide(coreName: "Prescott", hasAVX2: false, hasAVX512: false, userCoreType: nil) == .keep)
  }

  @Test func aValueTheUserSetIsNeverReplaced() {
    #expect(BLASKernels.decide(coreName: "Prescott", hasAVX2: true, hasAVX512: false, userCoreType: "Prescott")
      == .userChoseFallback(core: "Prescott", suggested: "Haswell"))
  }

  @Test func theLoadedCoreIsNamed() {
    #expect(!BLASKernels.loadedCoreName.isEmpty)
    #expect(BLASKernels.loadedCoreName != "unknown")
  }
}
