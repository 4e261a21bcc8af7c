import KilnTensor
import Foundation
import KilnData
import KilnDistributed
import KilnMetrics
import KilnOptim
import KilnConfiguration

extension TrainingSession {
  /// Validation metrics over the whole validation split (`ValidationMetrics` names them per label kind).
  ///
  /// Under MPI each rank scores its exact (unpadded) shard; rank 0 gathers the scores, orders them
  /// by row and computes the metrics, so they are identical at any number of ranks.
  func validate() throws -> [String: Double] {
    var evaluated = model
    evaluated.setTraining(false)
    var rows: [Int] = [], labels: [Int] = [], outputs: [Float] = []
    let regression = head.labelKind == .regression
    for batch in validationLoader.epoch(0) {
      let logits = evaluated(Tensor(shape: [batch.rowCount, batch.featureCount], scalars: batch.features)).scalars
      rows += batch.rowIndices
      if regression {
        // Each record carries (output, target): the target travels with the scores through the gather.
        labels += [Int](repeating: 0, count: batch.rowCount)
        for (output, target) in zip(logits, batch.targets) { outputs += [output, target] }
      } else {
        labels += batch.labels.map(Int.init)
        outputs += logits
      }
    }
    if let error = validationLoader.lastError { throw error }
    let width = regression ? 2 : head.outputSize
    if communicator.size > 1 {
      let gathered = try gather(rows: rows, labels: labels, outputs: outputs, width: width)
      var encoded: [UInt8] = []
      if communicator.isRoot {
        encoded = Array(try JSONEncoder().encode(try metrics(labels: gathered.labels, outputs: gathered.outputs)))
      }
      let bytes = try communicator.broadcast(bytes: encoded, root: 0)
      return try JSONDecoder().decode([String: Double].self, from: Data(bytes))
    }
    return try metrics(labels: labels, outputs: outputs)
  }

  /// Rank 0 receives every rank's (row, label, outputs) and returns them ordered by row.
  private func gather(rows: [Int], labels: [Int], outputs: [Float], width: Int) throws -> (labels: [Int], outputs: [Float]) {
    let tag = 71
    func pack(_ rows: [Int], _ labels: [Int], _ outputs: [Float]) -> [UInt8] {
      var bytes: [UInt8] = []
      for (index, row) in rows.enumerated() {
        withUnsafeBytes(of: Int64(row).littleEndian) { bytes += $0 }
        withUnsafeBytes(of: Int64(labels[index]).littleEndian) { bytes += $0 }
        for value in outputs[(index * width)..<((index + 1) * width)] {
          withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
        }
      }
      return bytes
    }
    guard communicator.isRoot else {
      try communicator.send(pack(rows, labels, outputs), to: 0, tag: tag)
      return ([], [])
    }
    var records: [(row: Int, label: Int, outputs: ArraySlice<Float>)] = rows.indices.map {
      (rows[$0], labels[$0], outputs[($0 * width)..<(($0 + 1) * width)])
    }
    for _ in 1..<communicator.size {
      let message = try communicator.receive(from: nil, tag: tag).bytes
      let recordSize = 16 + 4 * width
      message.withUnsafeBytes { raw in
        for offset in stride(from: 0, to: message.count, by: recordSize) {
          let row = Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
          let label = Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: Int64.self)))
          let values = (0..<width).map {
            Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 16 + 4 * $0, as: UInt32.self)))
          }
          records.append((row, label, ArraySlice(values)))
        }
      }
    }
    records.sort { $0.row < $1.row }
    return (records.map(\.label), records.flatMap(\.outputs))
  }

  /// Metrics from labels and raw model outputs (one logit, K logits, or (output, target) per row),
  /// with the validation fairness metrics asked for (`ValidationFairness`).
  func metrics(labels: [Int], outputs: [Float]) throws -> [String: Double] {
    var named: [String: Double]
    var modelOutputs = outputs
    switch head {
    case .binary: named = ValidationMetrics.binary(labels: labels, logits: outputs)
    case .multiclass(let classCount): named = ValidationMetrics.multiclass(labels: labels, logits: outputs, classCount: classCount)
    case .regression:
      modelOutputs = stride(from: 0, to: outputs.count, by: 2).map { outputs[$0] }
      let predictions = modelOutputs.map { head.prediction(fromOutput: $0) }
      let targets = stride(from: 1, to: outputs.count, by: 2).map { Double(outputs[$0]) }
      named = ValidationMetrics.regression(targets: targets, predictions: predictions)
    }
    if let validationFairness {
      named.merge(try validationFairness.metrics(head: head, outputs: modelOutputs)) { $1 }
    }
    return named
  }

  /// After training, with group thresholds fitted: the validation fairness metrics of the model
  /// as it predicts (its scores through the thresholds), scored on rank 0 from the whole split.
  func thresholdedValidationFairness(_ thresholds: GroupThresholds) throws -> [String: Double] {
    guard let validationFairness, validationFairness.rows.rowCount > 0 else { return [:] }
    var evaluated = model
    evaluated.setTraining(false)
    let rows = validationFairness.rows
    let logits = evaluated(Tensor(shape: [rows.rowCount, rows.featureCount], scalars: rows.features)).scalars
    return try validationFairness.metrics(head: head, outputs: logits, groupThresholds: thresholds)
  }
}
