import Foundation
import Testing
import KilnPaths

@Suite struct NameTests {
  @Test(arguments: NameKind.allCases)
  func everyKindAcceptsTheNamesKilnShipsWith(kind: NameKind) throws {
    for text in ["adult-mlp", "adult", "toy-model", "v1.2_final", "A", String(repeating: "a", count: 100)] {
      #expect(try Name(text, kind: kind).text == text)
    }
  }

  @Test(arguments: NameKind.allCases)
  func everyKindRefusesNamesThatLeadOutOrHide(kind: NameKind) {
    for text in ["..", ".", "../../../elsewhere", "/etc", ".hidden", "-flag", "_x", "a b", "a\\b", "tab\there", "",
                 String(repeating: "a", count: 101), "é"] {
      #expect(throws: NameError.self, "\(kind) \(text)") { try Name(text, kind: kind) }
    }
  }

  @Test func aSlashSeparatesArtifactNamesOnly() throws {
    #expect(try Name("model/checkpoint.h5", kind: .artifact).text == "model/checkpoint.h5")
    for kind in NameKind.allCases where kind != .artifact {
      #expect(throws: NameError.self) { try Name("model/checkpoint.h5", kind: kind) }
    }
    for text in ["model//x", "model/../x", "/model", "model/", "model/.x"] {
      #expect(throws: NameError.self, "\(text)") { try Name(text, kind: .artifact) }
    }
  }

  @Test func theErrorNamesTheNameTheKindAndTheRule() {
    let error = NameError(kind: .experiment, name: "../x", problem: Name.problem(with: "../x", kind: .experiment) ?? "")
    #expect(error.description.contains("'../x' is not a valid experiment name"))
    #expect(error.description.contains("it contains '/'"))
    #expect(error.description.contains(Name.rule))
  }
}

@Suite struct ContainedPathTests {
  let root = URL(fileURLWithPath: "/project/reports", isDirectory: true)

  @Test func pathsInsideTheRootAreReturned() throws {
    #expect(try ContainedPath.url(under: root, ["adult-mlp", "v1"], isDirectory: true).path == "/project/reports/adult-mlp/v1")
    #expect(try ContainedPath.url(under: root, ["a/b/../c"]).standardizedFileURL.path == "/project/reports/a/c")
  }

  @Test func pathsLeavingTheRootAreRefused() {
    for components in [[".."], ["..", "v1"], ["../../../elsewhere", "v1"], ["a", "../../x"], ["../reports-other"]] {
      #expect(throws: PathEscapeError.self, "\(components)") { try ContainedPath.url(under: root, components) }
    }
    #expect(throws: PathEscapeError.self) {
      try ContainedPath.checked(URL(fileURLWithPath: "/project/reports-evil/x"), inside: root)
    }
  }
}
