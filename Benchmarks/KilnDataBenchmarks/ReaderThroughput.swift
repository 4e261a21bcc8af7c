import Foundation
import KilnData

/// Writes an Adult-like CSV (15 columns: numbers, categories, every tenth occupation quoted with a
/// comma inside) of `rows` data rows to `url`, unless a file of that name exists.
func writeAdultLikeCSV(rows: Int, to url: URL) throws {
  guard !FileManager.default.fileExists(atPath: url.path) else { return }
  let workclasses = ["Private", "Self-emp-not-inc", "Local-gov", "State-gov", "?"]
  let educations = ["Bachelors", "HS-grad", "11th", "Masters", "Some-college", "Doctorate"]
  let marital = ["Married-civ-spouse", "Divorced", "Never-married", "Separated", "Widowed"]
  let occupations = ["Tech-support", "Craft-repair", "Other-service", "Sales", "Exec-managerial", "Prof-specialty"]
  let relationships = ["Wife", "Own-child", "Husband", "Not-in-family", "Unmarried"]
  let races = ["White", "Asian-Pac-Islander", "Amer-Indian-Eskimo", "Other", "Black"]
  let countries = ["United-States", "Cuba", "Jamaica", "India", "Mexico", "Germany"]
  var text = "age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income\n"
  FileManager.default.createFile(atPath: url.path, contents: nil)
  let handle = try FileHandle(forWritingTo: url)
  var state: UInt64 = 0x9E37_79B9_7F4A_7C15
  func next(_ bound: Int) -> Int {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int((state >> 33) % UInt64(bound))
  }
  for row in 0..<rows {
    let occupation = row % 10 == 0 ? "\"\(occupations[next(6)]), senior\"" : occupations[next(6)]
    text += "\(17 + next(73)),\(workclasses[next(5)]),\(12_285 + next(1_400_000)),\(educations[next(6)]),\(1 + next(16)),"
      + "\(marital[next(5)]),\(occupation),\(relationships[next(5)]),\(races[next(5)]),\(next(3) == 0 ? "Female" : "Male"),"
      + "\(next(20) == 0 ? next(99_999) : 0),\(next(25) == 0 ? next(4_356) : 0),\(1 + next(99)),\(countries[next(6)]),\(next(4) == 0 ? ">50K" : "<=50K")\n"
    if text.utf8.count > 1 << 22 {
      try handle.write(contentsOf: Data(text.utf8))
      text = ""
    }
  }
  try handle.write(contentsOf: Data(text.utf8))
  try handle.close()
}

/// Best of three full passes of `DelimitedReader` over `url`: (rows/s, MB/s), every field made a String.
func readerThroughput(url: URL) throws -> (rowsPerSecond: Double, megabytesPerSecond: Double) {
  let bytes = Double((try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0)
  var best = Double.infinity
  var rows = 0
  for _ in 0..<3 {
    let start = DispatchTime.now().uptimeNanoseconds
    let reader = try DelimitedReader(url: url)
    rows = 0
    while try reader.nextCheckedRecord() != nil { rows += 1 }
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }
  return (Double(rows) / best, bytes / best / 1e6)
}

/// pandas `read_csv` on the same file (`benchmarks/reference/reader_pandas.py`): rows/s by engine.
func pandasReaderThroughput(python: String?, url: URL) -> [String: Double]? {
  guard let python else { return nil }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: python)
  process.arguments = ["benchmarks/reference/reader_pandas.py", "--path", url.path]
  let output = Pipe()
  process.standardOutput = output
  guard (try? process.run()) != nil else { return nil }
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (try? JSONSerialization.jsonObject(with: data)) as? [String: Double]
}

/// Emits the reader's throughput beside pandas' C and pyarrow engines.
func benchmarkReader(rows: Int, python: String?) throws {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-bench-adult-like-\(rows).csv")
  try writeAdultLikeCSV(rows: rows, to: url)
  let kiln = try readerThroughput(url: url)
  let pandas = pandasReaderThroughput(python: python, url: url)
  emit("reader_adult_like_rows", kiln: kiln.rowsPerSecond, reference: pandas?["c_rows_per_second"],
       units: "rows/s, \(rows) rows × 15 columns (reference = pandas read_csv, C engine, dtype=str)")
  emit("reader_adult_like_megabytes", kiln: kiln.megabytesPerSecond, reference: pandas?["c_megabytes_per_second"],
       units: "MB/s (reference = pandas read_csv, C engine, dtype=str)")
  emit("reader_adult_like_rows_vs_pyarrow", kiln: kiln.rowsPerSecond, reference: pandas?["pyarrow_rows_per_second"],
       units: "rows/s (reference = pandas read_csv, pyarrow engine, dtype=str)")
}
