import KilnOutput
/// A failure reported by libhdf5, or a file that does not have the expected shape.
///
/// Every error names the operation, the file, the object inside the file, HDF5's own message
/// (the innermost entries of its error stack) and, where one helps, what to do next.
public struct HDF5Error: KilnError, Sendable, Equatable {
  /// What was being attempted, e.g. `open dataset` or `read hyperslab`.
  public var operation: String
  /// The file's path as given by the caller.
  public var filePath: String
  /// The object's path inside the file (`/` for the root group).
  public var objectPath: String
  /// HDF5's own description of the failure, or Kiln's when HDF5 raised none.
  public var libraryMessage: String
  /// A suggestion for the reader of the message.
  public var hint: String?

  public init(operation: String, filePath: String, objectPath: String, libraryMessage: String, hint: String? = nil) {
    self.operation = operation
    self.filePath = filePath
    self.objectPath = objectPath
    self.libraryMessage = libraryMessage
    self.hint = hint
  }

  public var location: String? { "\(filePath):\(objectPath)" }
  public var message: String { "\(operation) failed: \(libraryMessage)" }
}
