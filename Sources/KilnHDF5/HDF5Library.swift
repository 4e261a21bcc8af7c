import CHDF5
import Foundation

/// Process-wide state of libhdf5: one lock that serialises every call, and the error stack.
///
/// Debian's libhdf5 is built without its thread-safety option, so two threads must never be
/// inside the library at once. Every wrapper entry point runs under `serialized`; a data loader
/// additionally confines its reads to one dedicated I/O thread so that lock is uncontended.
public enum HDF5Library {
  private static let lock = NSRecursiveLock()
  /// How deeply the lock-holding thread has nested `serialized`; only touched under the lock.
  nonisolated(unsafe) private static var depth = 0

  private static let opened: Bool = {
    _ = H5open()
    return true
  }()

  /// Runs `body` while holding the library lock (re-entrant on the same thread).
  ///
  /// On entry HDF5's automatic printing of error stacks to stderr is switched off for the
  /// calling thread (a thread-safe libhdf5 keeps that setting per thread): failures are collected
  /// from the stack and thrown instead.
  public static func serialized<T>(_ body: () throws -> T) rethrows -> T {
    lock.lock()
    depth += 1
    defer {
      depth -= 1
      lock.unlock()
    }
    _ = opened
    if depth == 1 { _ = H5Eset_auto2(kiln_h5e_default(), nil, nil) }
    return try body()
  }

  /// The version of the linked libhdf5, e.g. `1.10.8`.
  public static var version: String {
    serialized {
      var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
      _ = H5get_libversion(&major, &minor, &release)
      return "\(major).\(minor).\(release)"
    }
  }

  /// Reads and clears HDF5's error stack, innermost entry first.
  static func takeErrorMessage() -> String {
    final class Collector { var entries: [String] = [] }
    let collector = Collector()
    let walker: H5E_walk2_t = { _, description, clientData in
      guard let description, let clientData else { return 0 }
      let collector = Unmanaged<Collector>.fromOpaque(clientData).takeUnretainedValue()
      var text = description.pointee.desc.map { String(cString: $0) } ?? ""
      var buffer = [CChar](repeating: 0, count: 256)
      var messageType = H5E_MAJOR
      if H5Eget_msg(description.pointee.min_num, &messageType, &buffer, 256) > 0 {
        let minor = String(cString: buffer)
        text = text.isEmpty ? minor : "\(text) (\(minor))"
      }
      if !text.isEmpty { collector.entries.append(text) }
      return 0
    }
    _ = H5Ewalk2(kiln_h5e_default(), H5E_WALK_UPWARD, walker, Unmanaged.passUnretained(collector).toOpaque())
    _ = H5Eclear2(kiln_h5e_default())
    var unique: [String] = []
    for entry in collector.entries where !unique.contains(entry) { unique.append(entry) }
    return unique.prefix(3).joined(separator: "; ")
  }

  /// Builds an error from the current HDF5 error stack.
  static func error(_ operation: String, file: String, object: String, hint: String? = nil) -> HDF5Error {
    let message = takeErrorMessage()
    return HDF5Error(operation: operation, filePath: file, objectPath: object,
                     libraryMessage: message.isEmpty ? "libhdf5 reported a failure" : message, hint: hint)
  }
}
