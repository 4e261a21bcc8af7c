import Foundation
import KilnHDF5

/// Checks a file against the Kiln dataset format v1, collecting every problem instead of
/// stopping at the first, each named by its object path.
struct DatasetValidator {
  let file: HDF5File

  /// Returns the metadata when the structure can be read; appends problems as found.
  func check(problems: inout [String]) -> DatasetMetadata? {
    guard let root = try? file.root else {
      problems.append("/: cannot open the root group")
      return nil
    }
    var attributes: [String: String] = [:]
    for name in KilnDatasetFormat.rootAttributes {
      if let value = try? root.stringAttribute(name) { attributes[name] = value } else {
        problems.append("/: missing string attribute '\(name)'")
      }
    }
    if let format = attributes["format"], format != KilnDatasetFormat.formatString {
      problems.append("/: unknown format '\(format)' (this version of Kiln reads '\(KilnDatasetFormat.formatString)')")
    }
    let (rowCount, featureNames) = checkFeatures(root, problems: &problems)
    let (labelName, classes, labelKind) = checkLabel(root, rowCount: rowCount, problems: &problems)
    let sensitive = checkSensitive(root, rowCount: rowCount, problems: &problems)
    let splitSizes = checkSplits(root, rowCount: rowCount, problems: &problems)
    let encoding = checkEncoding(root, featureNames: featureNames, problems: &problems)
    checkSource(root, rowCount: rowCount, problems: &problems)
    guard let rowCount, let featureNames else { return nil }
    return DatasetMetadata(
      header: DatasetHeader(name: attributes["name"] ?? "", version: attributes["version"] ?? "",
                            source: attributes["source"] ?? "", license: attributes["license"] ?? ""),
      format: attributes["format"] ?? "", fingerprint: attributes["fingerprint"] ?? "",
      rowCount: rowCount, featureNames: featureNames, labelName: labelName, labelKind: labelKind, classes: classes,
      sensitive: sensitive, splitSizes: splitSizes, encoding: encoding)
  }

  private func checkFeatures(_ root: HDF5Group, problems: inout [String]) -> (Int?, [String]?) {
    guard root.contains(KilnDatasetFormat.features), let features = try? root.dataset(KilnDatasetFormat.features) else {
      problems.append("/features: missing dataset")
      return (nil, nil)
    }
    guard let shape = try? features.shape, shape.count == 2 else {
      problems.append("/features: expected rank 2 [rows, features], found shape \((try? features.shape) ?? [])")
      return (nil, nil)
    }
    if let kind = try? features.kind, kind != .float32 { problems.append("/features: expected float32, found \(kind)") }
    guard let names = try? features.stringArrayAttribute("feature_names") else {
      problems.append("/features: missing attribute 'feature_names'")
      return (shape[0], nil)
    }
    if names.count != shape[1] {
      problems.append("/features: attribute feature_names has \(names.count) names for \(shape[1]) columns")
    }
    return (shape[0], names)
  }

  private func checkLabel(_ root: HDF5Group, rowCount: Int?, problems: inout [String]) -> (String, [String], LabelKind) {
    guard root.contains(KilnDatasetFormat.label), let label = try? root.dataset(KilnDatasetFormat.label) else {
      problems.append("/label: missing dataset")
      return ("", [], .binary)
    }
    var kind = LabelKind.binary
    if label.hasAttribute(KilnDatasetFormat.labelKindAttribute) {
      let text = (try? label.stringAttribute(KilnDatasetFormat.labelKindAttribute)) ?? ""
      if let parsed = LabelKind(rawValue: text) { kind = parsed } else {
        problems.append("/label: attribute kind is '\(text)', expected one of \(LabelKind.allCases.map(\.rawValue).joined(separator: ", "))")
      }
    }
    checkVector(label, path: "/label", rowCount: rowCount, kinds: [kind == .regression ? .float32 : .int32], problems: &problems)
    let name = (try? label.stringAttribute("name")) ?? ""
    let classes = (try? label.stringArrayAttribute("classes")) ?? []
    if name.isEmpty { problems.append("/label: missing attribute 'name'") }
    switch kind {
    case .binary where classes.count != 2:
      problems.append("/label: attribute classes must name 2 classes, found \(classes.count)")
    case .multiclass where classes.count < 2:
      problems.append("/label: a multiclass label's attribute classes must name at least 2 classes, found \(classes.count)")
    case .regression where !classes.isEmpty:
      problems.append("/label: a regression label has no classes, found \(classes.count)")
    default:
      break
    }
    return (name, classes, kind)
  }

  /// Checks the label's values: class codes within `0..<classes.count`, regression targets finite.
  func checkLabelValues(metadata: DatasetMetadata, problems: inout [String]) {
    guard let label = try? file.root.dataset(KilnDatasetFormat.label) else { return }
    if metadata.labelKind == .regression {
      guard let targets = try? label.read(as: Float.self) else { return problems.append("/label: cannot read the targets") }
      if let row = targets.firstIndex(where: { !$0.isFinite }) {
        problems.append("/label: target of row \(row) is \(targets[row]); regression targets must be finite")
      }
    } else {
      guard let codes = try? label.read(as: Int32.self) else { return problems.append("/label: cannot read the class codes") }
      if let row = codes.firstIndex(where: { $0 < 0 || Int($0) >= metadata.classes.count }) {
        problems.append("/label: code \(codes[row]) of row \(row) is outside 0..<\(metadata.classes.count) (the classes \(metadata.classes.joined(separator: ", ")))")
      }
    }
  }

  private func checkSensitive(_ root: HDF5Group, rowCount: Int?, problems: inout [String]) -> [SensitiveAttribute] {
    guard let group = try? root.group(KilnDatasetFormat.sensitive), let names = try? group.childNames() else {
      problems.append("/sensitive: missing group")
      return []
    }
    return names.compactMap { name in
      guard let dataset = try? group.dataset(name) else {
        problems.append("/sensitive/\(name): not a dataset")
        return nil
      }
      checkVector(dataset, path: "/sensitive/\(name)", rowCount: rowCount, kinds: [.int32], problems: &problems)
      guard let categories = try? dataset.stringArrayAttribute("categories") else {
        problems.append("/sensitive/\(name): missing attribute 'categories'")
        return nil
      }
      let isInput = ((try? dataset.integerAttribute("is_model_input")) ?? 0) != 0
      return SensitiveAttribute(name: name, categories: categories, isModelInput: isInput)
    }
  }

  private func checkSplits(_ root: HDF5Group, rowCount: Int?, problems: inout [String]) -> [String: Int] {
    guard let group = try? root.group(KilnDatasetFormat.splits), let names = try? group.childNames() else {
      problems.append("/splits: missing group")
      return [:]
    }
    var sizes: [String: Int] = [:]
    for name in names {
      let path = "/splits/\(name)"
      guard let dataset = try? group.dataset(name), let indices = try? dataset.read(as: UInt32.self) else {
        problems.append("\(path): not a readable dataset")
        continue
      }
      if let kind = try? dataset.kind, kind != .uint32 { problems.append("\(path): expected uint32 row indices, found \(kind)") }
      if let rowCount, let bad = indices.first(where: { Int($0) >= rowCount }) {
        problems.append("\(path): row index \(bad) is out of range for \(rowCount) rows")
      }
      sizes[name] = indices.count
    }
    return sizes
  }

  private func checkEncoding(_ root: HDF5Group, featureNames: [String]?, problems: inout [String]) -> DatasetEncoding? {
    guard let group = try? root.group(KilnDatasetFormat.encoding) else {
      problems.append("/encoding: missing group")
      return nil
    }
    guard group.hasAttribute("spec") else { return nil }
    guard let json = try? group.stringAttribute("spec"),
          let encoding = try? JSONDecoder().decode(DatasetEncoding.self, from: Data(json.utf8)) else {
      problems.append("/encoding: attribute spec is not a readable encoding")
      return nil
    }
    if let featureNames, encoding.featureNames != featureNames {
      problems.append("/encoding: the encoding's \(encoding.featureCount) feature names differ from /features's \(featureNames.count)")
    }
    return encoding
  }

  /// `/source` is optional (files written before it existed have none); when present its arrays
  /// match the rows and its file codes index its files.
  private func checkSource(_ root: HDF5Group, rowCount: Int?, problems: inout [String]) {
    guard root.contains(KilnDatasetFormat.source) else { return }
    guard let group = try? root.group(KilnDatasetFormat.source) else { return problems.append("/source: not a group") }
    for (name, kind) in [("file", HDF5ElementKind.int32), ("line", .int64)] {
      guard let dataset = try? group.dataset(name) else {
        problems.append("/source/\(name): missing dataset")
        continue
      }
      checkVector(dataset, path: "/source/\(name)", rowCount: rowCount, kinds: [kind], problems: &problems)
    }
    guard let files = try? group.stringArrayAttribute("files"), let digests = try? group.stringArrayAttribute("file_sha256") else {
      return problems.append("/source: missing attribute 'files' or 'file_sha256'")
    }
    if files.count != digests.count { problems.append("/source: \(files.count) files but \(digests.count) digests") }
    if let codes = try? group.dataset("file").read(as: Int32.self), let bad = codes.first(where: { $0 < 0 || Int($0) >= files.count }) {
      problems.append("/source/file: code \(bad) is outside 0..<\(files.count) (the files)")
    }
  }

  /// Each row's source, or `nil` for a file written before datasets kept it.
  func readSource() throws -> RowSources? {
    let root = try file.root
    guard root.contains(KilnDatasetFormat.source) else { return nil }
    let group = try root.group(KilnDatasetFormat.source)
    return RowSources(files: try group.stringArrayAttribute("files"), fileDigests: try group.stringArrayAttribute("file_sha256"),
                      fileCodes: try group.dataset("file").read(as: Int32.self), lines: try group.dataset("line").read(as: Int64.self),
                      filters: group.hasAttribute("filters") ? try group.stringArrayAttribute("filters") : [])
  }

  private func checkVector(_ dataset: HDF5Dataset, path: String, rowCount: Int?, kinds: [HDF5ElementKind], problems: inout [String]) {
    guard let shape = try? dataset.shape, shape.count == 1 else {
      problems.append("\(path): expected rank 1, found shape \((try? dataset.shape) ?? [])")
      return
    }
    if let rowCount, shape[0] != rowCount {
      problems.append("\(path): length \(shape[0]) does not match /features's \(rowCount) rows")
    }
    if let kind = try? dataset.kind, !kinds.contains(kind) {
      problems.append("\(path): expected \(kinds.map(\.description).joined(separator: " or ")), found \(kind)")
    }
  }

  /// Recomputes the content fingerprint as the writer does, reading features in slabs.
  /// - Throws: `DatasetError` naming the dataset and column of the first feature that is NaN or
  ///   infinite (the writer never stores one; an edited or foreign file may).
  func computeFingerprint(metadata: DatasetMetadata) throws -> String {
    var fingerprint = DatasetFingerprint()
    let root = try file.root
    let features = try root.dataset(KilnDatasetFormat.features)
    let width = metadata.featureCount
    fingerprint.beginFeatures(rowCount: metadata.rowCount, featureCount: width)
    let slab = max(1, (4 << 20) / max(1, width * 4))
    var buffer = [Float](repeating: 0, count: slab * width)
    var start = 0
    while start < metadata.rowCount {
      let rows = min(slab, metadata.rowCount - start)
      try buffer.withUnsafeMutableBufferPointer { pointer in
        try features.readRows(start..<(start + rows), into: pointer)
        let values = UnsafeBufferPointer(rebasing: pointer[0..<(rows * width)])
        if let index = values.firstIndex(where: { !$0.isFinite }) {
          let column = metadata.featureNames[index % width]
          throw DatasetError(.nonFiniteFeature, "\(file.path): dataset '\(metadata.header.name)': feature column '\(column)' is \(values[index]) in row \(start + index / width)",
                             hint: "stored features must be finite; fix the raw values and re-import with `kiln dataset import`")
        }
        fingerprint.updateFeatures(values)
      }
      start += rows
    }
    fingerprint.update(tag: "feature_names", strings: metadata.featureNames)
    let label = try root.dataset(KilnDatasetFormat.label)
    let regression = metadata.labelKind == .regression
    fingerprint.updateLabel(kind: metadata.labelKind, codes: regression ? [] : try label.read(as: Int32.self),
                            targets: regression ? try label.read(as: Float.self) : [], classes: metadata.classes)
    let sensitive = try root.group(KilnDatasetFormat.sensitive)
    for attribute in metadata.sensitive.sorted(by: { $0.name < $1.name }) {
      fingerprint.update(tag: "sensitive/\(attribute.name)/categories", strings: attribute.categories)
      fingerprint.update(tag: "sensitive/\(attribute.name)", values: try sensitive.dataset(attribute.name).read(as: Int32.self))
    }
    let splits = try root.group(KilnDatasetFormat.splits)
    for name in metadata.splitNames {
      fingerprint.update(tag: "splits/\(name)", values: try splits.dataset(name).read(as: UInt32.self))
    }
    let encoding = try root.group(KilnDatasetFormat.encoding)
    if encoding.hasAttribute("spec") {
      fingerprint.update(tag: "encoding", bytes: Array(try encoding.stringAttribute("spec").utf8))
    }
    if let source = try readSource() { fingerprint.updateSource(source) }
    return fingerprint.finalize()
  }
}
