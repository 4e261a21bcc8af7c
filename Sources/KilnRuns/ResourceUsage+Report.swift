import KilnReport
import KilnTracking

extension ResourceUsage {
  /// The JSON of `runs show --json`'s `resources`: each metric's name without `system.`
  /// (`wall_seconds`, `cpu_seconds`, `peak_rss_bytes`, …), null when the run has no value.
  package var jsonValue: JSONValue {
    let recorded = metrics
    return .object(Dictionary(uniqueKeysWithValues: Key.allCases.map { key in
      (String(key.rawValue.dropFirst(Self.prefix.count)), recorded[key.rawValue].map(JSONValue.number) ?? .null)
    }))
  }

  /// Labelled values with their units, for `runs show` and the UI's run page.
  package var reportRows: [(label: String, value: String)] {
    func seconds(_ value: Double) -> String { RunFormatting.number(value) + " s" }
    func mebibytes(_ value: Double) -> String { RunFormatting.number(value / 1_048_576) + " MiB" }
    var rows: [(label: String, value: String)] = [("wall time", seconds(wallSeconds)), ("CPU time", seconds(cpuSeconds))]
    if let ranks, ranks > 1 {
      rows[1].value += " over \(ranks) ranks"
      rows.append(("peak memory", mebibytes(peakResidentBytes) + " largest rank, "
                   + mebibytes(peakResidentBytesSum ?? peakResidentBytes) + " all ranks"))
    } else {
      rows.append(("peak memory", mebibytes(peakResidentBytes) + (trials == nil ? "" : " largest trial")))
    }
    if let trials { rows.append(("trials", "\(trials)")) }
    rows.append(("samples", RunFormatting.number(samples)))
    rows.append(("training steps", seconds(trainingSeconds)))
    rows.append(("samples/s training", RunFormatting.number(trainingSamplesPerSecond)))
    rows.append(("samples/s overall", RunFormatting.number(samplesPerSecond)))
    return rows
  }
}
