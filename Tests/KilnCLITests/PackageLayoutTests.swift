import Foundation
import Testing

/// Package.swift tells the truth: every module a target imports (sources, tests, benchmarks) is
/// declared as its dependency and every declared dependency is imported (executables aside, which
/// tests depend on to have them built); nothing is re-exported; and docs/DESIGN.md's table of
/// targets lists exactly the package's targets under Sources/ with exactly their dependencies.
/// The package is read as SwiftPM reads it (`swift package dump-package`), not by parsing text.
@Suite struct PackageLayoutTests {
  static let repository = CrashSiteTests.repository

  /// A target under Sources/ and the names of its declared dependencies (targets and products).
  struct Target {
    let name: String
    let path: String
    let dependencies: Set<String>
    let type: String
    var isSystemLibrary: Bool { type == "system" }
  }

  /// The package's targets under Sources/.
  static func sourceTargets() throws -> [Target] { try package().targets.filter { $0.path.hasPrefix("Sources/") } }

  static func package() throws -> (targets: [Target], products: Set<String>) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    // Its own scratch folder: the test runs inside `swift test`, which holds .build's lock.
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-dump-package-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: scratch) }
    process.arguments = ["swift", "package", "--scratch-path", scratch.path, "dump-package"]
    process.currentDirectoryURL = repository
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "swift package dump-package failed")
    let package = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let targets = try #require(package["targets"] as? [[String: Any]])
    let products = Set(targets.flatMap { target in
      (target["dependencies"] as? [[String: Any]] ?? []).compactMap { ($0["product"] as? [Any])?.first as? String }
    })
    let packageTargets: [Target] = targets.compactMap { target in
      guard let name = target["name"] as? String, let type = target["type"] as? String,
            ["regular", "executable", "system", "test"].contains(type) else { return nil }
      let path = target["path"] as? String ?? (type == "test" ? "Tests/\(name)" : "Sources/\(name)")
      let dependencies = (target["dependencies"] as? [[String: Any]] ?? []).compactMap { dependency -> String? in
        for kind in ["byName", "target", "product"] {
          if let fields = dependency[kind] as? [Any], let name = fields.first as? String { return name }
        }
        return nil
      }
      return Target(name: name, path: path, dependencies: Set(dependencies), type: type)
    }
    return (packageTargets, products)
  }

  /// The modules a target's sources import (`import X`, `@testable import X`, `@_exported import X`).
  static func imports(of target: Target) throws -> (modules: Set<String>, reExports: [String]) {
    let folder = repository.appendingPathComponent(target.path)
    let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
      .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    var modules = Set<String>(), reExports: [String] = []
    for file in files {
      for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
        let words = line.split(separator: " ")
        guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
              words[..<index].allSatisfy({ $0.hasPrefix("@") }) else { continue }
        modules.insert(String(words[index + 1]))
        if words[..<index].contains("@_exported") { reExports.append("\(file.lastPathComponent): \(line)") }
      }
    }
    return (modules, reExports)
  }

  @Test func everyImportIsDeclaredAndEveryDeclarationImported() throws {
    let (targets, products) = try Self.package()
    #expect(targets.filter { $0.path.hasPrefix("Sources/") }.count > 20, "found only \(targets.count) targets under Sources/")
    #expect(targets.contains { $0.type == "test" }, "found no test targets")
    #expect(products.contains("Yams") && products.contains("ArgumentParser"), "products found: \(products.sorted())")
    // Modules the package could declare: its own targets and its dependencies' products.
    let ownModules = Set(targets.map(\.name))
    let executables = Set(targets.filter { $0.type == "executable" }.map(\.name))
    for target in targets where !target.isSystemLibrary {
      let (imported, reExports) = try Self.imports(of: target)
      let packageImports = imported.filter { ownModules.contains($0) || products.contains($0) }
      let undeclared = packageImports.subtracting(target.dependencies)
      let unused = target.dependencies.subtracting(packageImports).subtracting(executables)
      #expect(undeclared.isEmpty, "\(target.name) imports \(undeclared.sorted()) without declaring them in Package.swift")
      #expect(unused.isEmpty, "\(target.name) declares \(unused.sorted()) in Package.swift but never imports them")
      #expect(reExports.isEmpty, "\(target.name) re-exports modules: \(reExports)")
    }
  }

  @Test func theDesignTableListsEveryTargetWithItsDependencies() throws {
    let targets = try Self.sourceTargets()
    let design = try String(contentsOf: Self.repository.appendingPathComponent("docs/DESIGN.md"), encoding: .utf8)
    let start = try #require(design.range(of: "## Package layout"), "docs/DESIGN.md has no \"## Package layout\" section")
    var documented: [String: Set<String>] = [:]
    for line in design[start.upperBound...].split(separator: "\n") {
      if line.hasPrefix("## ") { break }
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count >= 4, cells[1].hasPrefix("`") else { continue }
      let names = cells[1].split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "` ")) }
      let imports = Set(cells[cells.count - 2].split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "` ")) }
        .filter { $0 != "—" && $0 != "Foundation" && !$0.isEmpty })
      for name in names { documented[name] = imports }
    }
    for target in targets {
      guard let imports = documented[target.name] else {
        Issue.record("docs/DESIGN.md's target table has no row for \(target.name)")
        continue
      }
      #expect(imports == target.dependencies, """
        docs/DESIGN.md says \(target.name) imports \(imports.sorted()); Package.swift declares \(target.dependencies.sorted())
        """)
    }
    let extra = Set(documented.keys).subtracting(targets.map(\.name))
    #expect(extra.isEmpty, "docs/DESIGN.md's target table lists \(extra.sorted()), which Package.swift does not have")
  }
}
