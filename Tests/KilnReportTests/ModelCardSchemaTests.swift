import Foundation
import KilnMetrics
import KilnReport
import KilnTracking
import Testing

/// `model-card.json` against Model Card Toolkit's schema v0.0.2 (Tests/Fixtures/model-card-toolkit),
/// checked by `scripts/validate-model-card` with Debian's python3-jsonschema.
@Suite struct ModelCardSchemaTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// A fresh temporary directory.
  func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-card-schema-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  /// Runs the validator on `files`.
  func validate(files: [URL]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [Self.repository.appendingPathComponent("scripts/validate-model-card").path] + files.map(\.path)
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }

  /// Runs the validator on `cards`' JSON.
  func validate(_ cards: [String: ModelCardInput]) throws -> (status: Int32, output: String) {
    let directory = try temporaryDirectory()
    let files = try cards.sorted { $0.key < $1.key }.map { name, card in
      let file = directory.appendingPathComponent("\(name).json")
      try ModelCardRenderer.json(card).write(to: file, atomically: true, encoding: .utf8)
      return file
    }
    return try validate(files: files)
  }

  @Test func cardsOfEveryKindAreValid() throws {
    var multiclass = sampleCard(), regression = sampleCard(), signed = sampleCard()
    multiclass.labelKind = "multiclass"
    regression.labelKind = "regression"
    signed.auditHead = AuditHead(sequence: 42, hash: String(repeating: "a", count: 64))
    signed.approval = .init(approver: "ana", signedApproval: SignedApproval(
      model: "adult-income", version: 3, runID: "run-123", stage: "production", modelCardSHA256: String(repeating: "b", count: 64),
      auditHead: AuditHead(sequence: 40, hash: String(repeating: "c", count: 64)), approver: "ana", signature: "c2ln"))
    let result = try validate(["binary": sampleCard(), "multiclass": multiclass, "regression": regression, "signed": signed,
                               "mitigated": mitigatedSampleCard()])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("5 file(s) valid"))
  }

  @Test func theValidatorRejectsWhatTheSchemaForbids() throws {
    let file = try temporaryDirectory().appendingPathComponent("bad.json")
    var object = try #require(try JSONSerialization.jsonObject(with: Data(ModelCardRenderer.json(sampleCard()).utf8)) as? [String: Any])
    object["gate_decision"] = "promote"
    try JSONSerialization.data(withJSONObject: object).write(to: file)
    let result = try validate(files: [file])
    #expect(result.status == 1)
    #expect(result.output.contains("gate_decision"))
  }
}
