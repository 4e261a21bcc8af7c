import Foundation
import Testing
import KilnRandom

/// Known answers computed with the three generators this one replaced (the tensor module's
/// array-backed generator, the sweep module's copy, and the metrics bootstrap's resampler), so
/// every seed keeps giving the numbers it gave before.
@Suite struct SeededGeneratorStreamTests {
  struct Pin: Sendable {
    let seed: UInt64, stream: UInt64, state: [UInt64], outputs: [UInt64]
  }

  static let pins: [Pin] = [
    Pin(seed: 0, stream: 0,
        state: [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC],
        outputs: [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0, 0x6AA5_94F1_262D_2D2C]),
    Pin(seed: 42, stream: 0,
        state: [0xBDD7_3226_2FEB_6E95, 0x28EF_E333_B266_F103, 0x4752_6757_130F_9F52, 0x581C_E1FF_0E4A_E394],
        outputs: [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1]),
    Pin(seed: 42, stream: 3,
        state: [0x4E2C_2220_D2AE_DF95, 0x8F6E_CC76_132E_5B97, 0xB980_5B53_4FF2_20AC, 0x403B_4A1B_D813_ADBB],
        outputs: [0x3CF8_60AF_930C_C916, 0x1CE8_FD05_1379_4C95, 0x1664_1E29_7589_0F41, 0x986C_60B0_39BB_8606]),
    Pin(seed: 7, stream: 1001,
        state: [0xB820_1A1E_BD0C_8312, 0xE07B_ECA7_25AB_A905, 0xF29B_8A8C_8CCA_3459, 0x64D7_6B74_62BE_28C9],
        outputs: [0xE44C_B0CF_965A_F239, 0xEAEA_AA4B_9729_DC7A, 0xC79E_68F4_BB1A_BFFE, 0x9CCB_F49A_32D6_4744]),
    Pin(seed: .max, stream: 5,
        state: [0x1222_C84F_05FC_3AB6, 0x5B23_9A00_6656_7E92, 0x952E_3827_7148_EB79, 0xE1ED_1465_2F4C_B2DA],
        outputs: [0xA109_08FE_9A1F_D87B, 0x2ADA_25A8_EC69_ADD6, 0xB2F3_D9F2_8DFD_820B, 0x72C2_1030_306C_EFCE]),
  ]

  @Test(arguments: pins)
  func seedAndStreamGiveTheFormerStateAndFirstOutputs(pin: Pin) {
    var generator = SeededGenerator(seed: pin.seed, stream: pin.stream)
    #expect(generator.state == pin.state)
    #expect((0..<4).map { _ in generator.next() } == pin.outputs)
  }

  @Test func derivedDrawsMatchTheFormerGenerator() {
    var generator = SeededGenerator(seed: 42, stream: 3)
    #expect((0..<3).map { _ in generator.nextFloat().bitPattern } == [1_047_781_760, 1_038_567_400, 1_035_149_552])
    #expect((0..<3).map { _ in generator.nextDouble().bitPattern }
            == [4_603_538_139_418_933_104, 4_605_136_982_190_646_085, 4_602_976_617_941_234_078])
    #expect((0..<3).map { _ in generator.nextNormal().bitPattern }
            == [13_831_462_263_181_328_948, 13_815_276_959_168_656_038, 4_603_561_231_962_958_673])
    #expect(generator.cachedNormal?.bitPattern == 4_607_731_754_122_339_800)
    #expect((0..<8).map { _ in generator.uniformIndex(below: 10) } == [3, 2, 3, 0, 0, 5, 0, 6])
    var values = Array(0..<10)
    generator.shuffle(&values)
    #expect(values == [4, 7, 1, 6, 0, 5, 9, 3, 2, 8])
    #expect(generator.state == [0x0541_8A7A_3A85_9BA5, 0x29F5_1E01_99F8_40F7, 0x53E5_6592_57FE_4C88, 0xFC0F_5601_2DB7_E766])
  }

  @Test func seededFromTakesFourDrawsAndMatchesTheFormerBootstrapResampler() {
    var source = SeededGenerator(seed: 42, stream: 0)
    var generator = SeededGenerator(seededFrom: &source)
    #expect(generator.state == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1])
    #expect(source.state == [0x6DB0_7C7D_D404_690B, 0x81DD_C5FE_6C15_7698, 0x25CF_E223_490D_9D1F, 0x9252_543D_113B_0C36])
    #expect((0..<3).map { _ in generator.next() } == [0xED1E_5096_03A4_1702, 0x72E4_10CF_485B_ABB2, 0xF8EC_A258_153D_978A])
    #expect((0..<6).map { _ in generator.uniformIndex(below: UInt64(1000)) } == [51, 738, 178, 852, 141, 465])
  }

  @Test func seededFromAnAllZeroSourceUsesTheFormerFallbackState() {
    struct ZeroSource: RandomNumberGenerator { mutating func next() -> UInt64 { 0 } }
    var source = ZeroSource()
    var generator = SeededGenerator(seededFrom: &source)
    #expect(generator.state == [0x9E37_79B9_7F4A_7C15, 0, 0, 0])
    #expect((0..<3).map { _ in generator.next() } == [0, 0xE032_CDB0_0BE7_D8E3, 0xE032_CDB0_0BE7_D8E3])
  }

  @Test func integerAndUnsignedBoundsDrawTheSameIndices() {
    var signed = SeededGenerator(seed: 11, stream: 2)
    var unsigned = signed
    for bound in [1, 2, 3, 7, 10, 1000, 1 << 40] {
      #expect(signed.uniformIndex(below: bound) == Int(unsigned.uniformIndex(below: UInt64(bound))))
    }
    #expect(signed == unsigned)
  }

  @Test func restoringTheSavedStateAndCachedNormalContinuesTheSequence() {
    var generator = SeededGenerator(seed: 5, stream: 1)
    _ = generator.nextNormal()
    var restored = SeededGenerator(state: generator.state, cachedNormal: generator.cachedNormal)
    #expect(restored == generator)
    #expect((0..<5).map { _ in restored.nextNormal() } == (0..<5).map { _ in generator.nextNormal() })
  }
}
