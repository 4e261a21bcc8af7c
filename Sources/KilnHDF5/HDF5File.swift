import CHDF5
import Foundation

/// Settings of HDF5's per-dataset chunk cache (the raw data chunk cache, "rdcc").
public struct HDF5ChunkCache: Sendable, Equatable {
  /// Bytes of decoded chunks kept per open dataset.
  public var bytes: Int
  /// Hash-table slots; HDF5 recommends a prime about 100 times the number of chunks that fit.
  public var slots: Int
  /// Preference for evicting fully read chunks, in [0, 1].
  public var preemption: Double

  public init(bytes: Int, slots: Int = 12_421, preemption: Double = 0.75) {
    precondition(bytes >= 0, "HDF5ChunkCache: bytes must be non-negative, got \(bytes)")
    precondition((0.0...1.0).contains(preemption), "HDF5ChunkCache: preemption must lie in [0, 1], got \(preemption)")
    self.bytes = bytes
    self.slots = slots
    self.preemption = preemption
  }

  /// HDF5's own default: 1 MiB per dataset.
  public static let libraryDefault = HDF5ChunkCache(bytes: 1 << 20, slots: 521)
}

/// An open HDF5 file. Objects opened from it stay usable until `close()` or deinitialisation.
public final class HDF5File: @unchecked Sendable {
  /// How an existing file is opened.
  public enum Mode: Sendable { case readOnly, readWrite }

  /// The path the file was opened or created with.
  public let path: String
  let identifier: hid_t
  private var isOpen = true

  private init(path: String, identifier: hid_t) {
    self.path = path
    self.identifier = identifier
  }

  /// Creates a file, replacing an existing one only when `overwrite` is true.
  public static func create(at url: URL, overwrite: Bool = false, chunkCache: HDF5ChunkCache? = nil) throws -> HDF5File {
    try HDF5Library.serialized {
      let access = try fileAccessList(path: url.path, chunkCache: chunkCache)
      defer { H5Pclose(access) }
      let flags = overwrite ? kiln_h5f_acc_trunc() : kiln_h5f_acc_excl()
      let identifier = H5Fcreate(url.path, flags, kiln_h5p_default(), access)
      guard identifier >= 0 else {
        throw HDF5Library.error("create file", file: url.path, object: "/",
                                hint: overwrite ? "check that the directory exists and is writable" : "the file may already exist")
      }
      markCloseOnExec(identifier)
      return HDF5File(path: url.path, identifier: identifier)
    }
  }

  /// Opens an existing file.
  public static func open(_ url: URL, mode: Mode = .readOnly, chunkCache: HDF5ChunkCache? = nil) throws -> HDF5File {
    try HDF5Library.serialized {
      guard FileManager.default.fileExists(atPath: url.path) else {
        throw HDF5Error(operation: "open file", filePath: url.path, objectPath: "/",
                        libraryMessage: "no such file", hint: "check the path")
      }
      let access = try fileAccessList(path: url.path, chunkCache: chunkCache)
      defer { H5Pclose(access) }
      let flags = mode == .readOnly ? kiln_h5f_acc_rdonly() : kiln_h5f_acc_rdwr()
      let identifier = H5Fopen(url.path, flags, access)
      guard identifier >= 0 else {
        throw HDF5Library.error("open file", file: url.path, object: "/", hint: "is this an HDF5 file?")
      }
      markCloseOnExec(identifier)
      return HDF5File(path: url.path, identifier: identifier)
    }
  }

  /// Whether the file at `url` carries the HDF5 signature.
  public static func isHDF5(_ url: URL) -> Bool {
    HDF5Library.serialized {
      let result = H5Fis_hdf5(url.path)
      _ = H5Eclear2(kiln_h5e_default())
      return result > 0
    }
  }

  private static func fileAccessList(path: String, chunkCache: HDF5ChunkCache?) throws -> hid_t {
    let access = H5Pcreate(kiln_h5p_file_access())
    guard access >= 0 else { throw HDF5Library.error("create file access list", file: path, object: "/") }
    // Closing the file closes every object opened from it, so a closed file is really closed
    // (and can be renamed) even while Swift still holds dataset handles.
    _ = H5Pset_fclose_degree(access, H5F_CLOSE_STRONG)
    // No HDF5 file locks: Kiln never opens an existing file for writing (every write goes to a
    // temporary file renamed into place), and a lock taken before the descriptor is marked
    // close-on-exec leaks into any child another thread starts in between (`kiln`, `mpirun`,
    // `h5dump`), which then makes this process's next open of the file fail until the child exits.
    _ = H5Pset_file_locking(access, false, true)
    if let chunkCache {
      _ = H5Pset_cache(access, 0, chunkCache.slots, chunkCache.bytes, chunkCache.preemption)
    }
    return access
  }

  /// Marks the file's descriptor close-on-exec, so child processes (`mpirun`, a sweep worker)
  /// never inherit an open dataset or checkpoint — nor the HDF5 file lock that goes with the
  /// descriptor, which would make this process's next open of the file fail while the child lives.
  private static func markCloseOnExec(_ identifier: hid_t) {
    var handle: UnsafeMutableRawPointer?
    guard H5Fget_vfd_handle(identifier, kiln_h5p_default(), &handle) >= 0, let handle else {
      _ = H5Eclear2(kiln_h5e_default())
      return
    }
    let descriptor = handle.load(as: Int32.self)
    let flags = fcntl(descriptor, F_GETFD)
    if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
  }

  /// The root group `/`.
  public var root: HDF5Group {
    get throws { try HDF5Group(file: self, path: "/", identifier: openRoot()) }
  }

  private func openRoot() throws -> hid_t {
    try HDF5Library.serialized {
      let group = H5Gopen2(identifier, "/", kiln_h5p_default())
      guard group >= 0 else { throw HDF5Library.error("open group", file: path, object: "/") }
      return group
    }
  }

  /// Flushes buffers to disk.
  public func flush() throws {
    try HDF5Library.serialized {
      guard H5Fflush(identifier, H5F_SCOPE_GLOBAL) >= 0 else { throw HDF5Library.error("flush", file: path, object: "/") }
    }
  }

  /// Closes the file and every object opened from it. Safe to call more than once.
  public func close() throws {
    try HDF5Library.serialized {
      guard isOpen else { return }
      isOpen = false
      guard H5Fclose(identifier) >= 0 else { throw HDF5Library.error("close file", file: path, object: "/") }
    }
  }

  deinit {
    if isOpen { try? close() }
  }
}
