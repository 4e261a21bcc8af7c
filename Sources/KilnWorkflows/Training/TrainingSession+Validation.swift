import Foundation
import KilnData
import KilnDistributed
import KilnMetrics
import KilnOptim

extension TrainingSession {
  /// Validation metrics over the whole validation split: `validation.loss`, `validation.accuracy`
  /// and, for binary models, `validation.roc_auc`.
  ///
  /// Under MPI each rank scores its exact (unpadded) shard; rank 0 gathers the scores, orders them
  /// by row and computes the metrics, so they are identical at any number of ranks.
  func validate() throws -> [String: Double] {
    var evaluated = model
    evaluated.setTraining(false)
    var rows: [Int] = [], labels: [Int] = [], outputs: [Float] = []
    for batch in validationLoader.epoch(0) {
      let logits = evaluated(Tensor(shape: [batch.rowCount, batch.featureCount], scalars: batch.features)).scalars
      rows += batch.rowIndices
      labels += batch.labels.map(Int.init)
      outputs += logits
    }
    if let error = validationLoader.lastError { throw error }
    let width = classCount == 2 ? 1 : classCount
    if communicator.size > 1 {
      let gathered = try gather(rows: rows, labels: labels, outputs: outputs, width: width)
      var encoded: [UInt8] = []
      if communicator.isRoot {
        encoded = Array(try JSONEncoder().encode(metrics(labels: gathered.labels, outputs: gathered.outputs, width: width)))
      }
      let bytes = try communicator.broadcast(bytes: encoded, root: 0)
      return try JSONDecoder().decode([String: Double].self, from: Data(bytes))
    }
    return metrics(labels: labels, outputs: outputs, width: width)
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

  /// Metrics from labels and raw model outputs (one logit per row, or `width` logits per row).
  func metrics(labels: [Int], outputs: [Float], width: Int) -> [String: Double] {
    guard !labels.isEmpty else { return [:] }
    if width == 1 {
      var lossSum = 0.0, correct = 0
      var scores: [Double] = []
      scores.reserveCapacity(labels.count)
      for (label, output) in zip(labels, outputs) {
        let logit = Double(output)
        // Stable BCE with logits: max(z, 0) − z·y + log(1 + e^(−|z|)).
        lossSum += max(logit, 0) - logit * Double(label) + Foundation.log1p(Foundation.exp(-abs(logit)))
        let probability = 1 / (1 + Foundation.exp(-logit))
        scores.append(probability)
        if (probability >= 0.5 ? 1 : 0) == label { correct += 1 }
      }
      return ["validation.loss": lossSum / Double(labels.count),
              "validation.accuracy": Double(correct) / Double(labels.count),
              "validation.roc_auc": RankingMetrics.rocAUC(labels: labels, scores: scores)]
    }
    var lossSum = 0.0, correct = 0
    for (row, label) in labels.enumerated() {
      let logits = outputs[(row * width)..<((row + 1) * width)].map(Double.init)
      let largest = logits.max()!
      let logSum = largest + Foundation.log(logits.reduce(0) { $0 + Foundation.exp($1 - largest) })
      lossSum += logSum - logits[label]
      if logits.firstIndex(of: largest) == label { correct += 1 }
    }
    return ["validation.loss": lossSum / Double(labels.count), "validation.accuracy": Double(correct) / Double(labels.count)]
  }
}
