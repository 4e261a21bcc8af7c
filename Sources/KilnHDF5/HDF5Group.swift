import CHDF5
import Foundation

/// How a new dataset is laid out on disk.
public struct HDF5DatasetOptions: Sendable, Equatable {
  /// Chunk shape (same rank as the dataset); `nil` stores the dataset contiguously.
  public var chunkShape: [Int]?
  /// gzip (deflate) level 1–9; requires chunking (a default chunk shape is chosen when absent).
  public var compressionLevel: Int?

  public init(chunkShape: [Int]? = nil, compressionLevel: Int? = nil) {
    if let compressionLevel {
      precondition((1...9).contains(compressionLevel), "HDF5DatasetOptions: gzip level must lie in 1...9, got \(compressionLevel)")
    }
    self.chunkShape = chunkShape
    self.compressionLevel = compressionLevel
  }

  /// Contiguous storage.
  public static let contiguous = HDF5DatasetOptions()
}

/// A group: a directory of datasets and further groups.
public final class HDF5Group: HDF5Object, @unchecked Sendable {
  public let file: HDF5File
  public let path: String
  public let identifier: hid_t

  init(file: HDF5File, path: String, identifier: hid_t) {
    self.file = file
    self.path = path
    self.identifier = identifier
  }

  deinit { closeIdentifier(identifier) }

  /// Whether a link called `name` (a relative path such as `a/b`) exists below this group.
  public func contains(_ name: String) -> Bool {
    HDF5Library.serialized {
      var prefix = ""
      for component in name.split(separator: "/") {
        prefix += prefix.isEmpty ? String(component) : "/" + component
        guard H5Lexists(identifier, prefix, kiln_h5p_default()) > 0 else {
          _ = H5Eclear2(kiln_h5e_default())
          return false
        }
      }
      return true
    }
  }

  /// The names of the direct children, in name order.
  public func childNames() throws -> [String] {
    try HDF5Library.serialized {
      var info = H5G_info_t()
      guard H5Gget_info(identifier, &info) >= 0 else { throw failure("list group") }
      var names: [String] = []
      for index in 0..<info.nlinks {
        let length = H5Lget_name_by_idx(identifier, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, kiln_h5p_default())
        guard length >= 0 else { throw failure("list group") }
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        _ = H5Lget_name_by_idx(identifier, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, kiln_h5p_default())
        names.append(String(cString: buffer))
      }
      return names
    }
  }

  /// Whether the child `name` is a group (false when it is missing or a dataset).
  public func isGroup(_ name: String) -> Bool {
    HDF5Library.serialized {
      guard contains(name) else { return false }
      var info = H5O_info_t()
      let status = H5Oget_info_by_name2(identifier, name, &info, UInt32(H5O_INFO_BASIC), kiln_h5p_default())
      _ = H5Eclear2(kiln_h5e_default())
      return status >= 0 && info.type == H5O_TYPE_GROUP
    }
  }

  /// Creates a child group.
  public func createGroup(_ name: String) throws -> HDF5Group {
    try HDF5Library.serialized {
      let child = H5Gcreate2(identifier, name, kiln_h5p_default(), kiln_h5p_default(), kiln_h5p_default())
      guard child >= 0 else {
        throw HDF5Library.error("create group", file: file.path, object: childPath(name))
      }
      return HDF5Group(file: file, path: childPath(name), identifier: child)
    }
  }

  /// Removes the link `name` (the object's space is reclaimed only when the file is repacked).
  public func removeLink(_ name: String) throws {
    try HDF5Library.serialized {
      guard H5Ldelete(identifier, name, kiln_h5p_default()) >= 0 else {
        throw HDF5Library.error("remove link", file: file.path, object: childPath(name))
      }
    }
  }

  /// Opens a child group.
  public func group(_ name: String) throws -> HDF5Group {
    try HDF5Library.serialized {
      guard contains(name) else {
        throw HDF5Error(operation: "open group", filePath: file.path, objectPath: childPath(name),
                        libraryMessage: "no such group")
      }
      let child = H5Gopen2(identifier, name, kiln_h5p_default())
      guard child >= 0 else { throw HDF5Library.error("open group", file: file.path, object: childPath(name)) }
      return HDF5Group(file: file, path: childPath(name), identifier: child)
    }
  }

  /// Opens a child dataset, optionally with its own chunk cache.
  public func dataset(_ name: String, chunkCache: HDF5ChunkCache? = nil) throws -> HDF5Dataset {
    try HDF5Library.serialized {
      let objectPath = childPath(name)
      guard contains(name) else {
        throw HDF5Error(operation: "open dataset", filePath: file.path, objectPath: objectPath,
                        libraryMessage: "no such dataset")
      }
      let access = H5Pcreate(kiln_h5p_dataset_access())
      defer { H5Pclose(access) }
      if let chunkCache {
        _ = H5Pset_chunk_cache(access, chunkCache.slots, chunkCache.bytes, chunkCache.preemption)
      }
      let child = H5Dopen2(identifier, name, access)
      guard child >= 0 else { throw HDF5Library.error("open dataset", file: file.path, object: objectPath) }
      return HDF5Dataset(file: file, path: objectPath, identifier: child)
    }
  }

  /// Creates a dataset of `shape` holding `T` values (filled with zeros until written).
  public func createDataset<T: HDF5Element>(_ name: String, of type: T.Type, shape: [Int],
                                             options: HDF5DatasetOptions = .contiguous) throws -> HDF5Dataset {
    try createDataset(name, type: T.hdf5NativeType, shape: shape, options: options)
  }

  /// Creates a dataset and writes `values` (row-major, `shape` defaults to one dimension).
  @discardableResult
  public func createDataset<T: HDF5Element>(_ name: String, values: [T], shape: [Int]? = nil,
                                             options: HDF5DatasetOptions = .contiguous) throws -> HDF5Dataset {
    let dataset = try createDataset(name, of: T.self, shape: shape ?? [values.count], options: options)
    try dataset.write(values)
    return dataset
  }

  /// Creates a one-dimensional dataset of variable-length UTF-8 strings.
  @discardableResult
  public func createStringDataset(_ name: String, values: [String]) throws -> HDF5Dataset {
    try HDF5Library.serialized {
      let type = makeVariableStringType()
      defer { H5Tclose(type) }
      let dataset = try createDataset(name, type: type, shape: [values.count], options: .contiguous)
      try withCStringArray(values) { pointers in
        guard values.isEmpty || H5Dwrite(dataset.identifier, type, kiln_h5s_all(), kiln_h5s_all(), kiln_h5p_default(), pointers) >= 0 else {
          throw dataset.failure("write strings")
        }
      }
      return dataset
    }
  }

  func createDataset(_ name: String, type: hid_t, shape: [Int], options: HDF5DatasetOptions) throws -> HDF5Dataset {
    try HDF5Library.serialized {
      let objectPath = childPath(name)
      precondition(shape.allSatisfy { $0 >= 0 }, "createDataset \(objectPath): shape \(shape) has a negative extent")
      var dimensions = shape.map { hsize_t($0) }
      let space = H5Screate_simple(Int32(shape.count), &dimensions, nil)
      guard space >= 0 else { throw HDF5Library.error("create dataspace", file: file.path, object: objectPath) }
      defer { H5Sclose(space) }
      let creation = H5Pcreate(kiln_h5p_dataset_create())
      defer { H5Pclose(creation) }
      var chunk = options.chunkShape
      if chunk == nil, options.compressionLevel != nil { chunk = defaultChunk(for: shape) }
      if var chunk, !shape.isEmpty {
        precondition(chunk.count == shape.count, "createDataset \(objectPath): chunk rank \(chunk.count) does not match shape rank \(shape.count)")
        for axis in chunk.indices { chunk[axis] = max(1, min(chunk[axis], max(shape[axis], 1))) }
        var chunkDimensions = chunk.map { hsize_t($0) }
        guard H5Pset_chunk(creation, Int32(chunk.count), &chunkDimensions) >= 0 else {
          throw HDF5Library.error("set chunk shape", file: file.path, object: objectPath)
        }
        if let level = options.compressionLevel { _ = H5Pset_deflate(creation, UInt32(level)) }
      }
      let dataset = H5Dcreate2(identifier, name, type, space, kiln_h5p_default(), creation, kiln_h5p_default())
      guard dataset >= 0 else { throw HDF5Library.error("create dataset", file: file.path, object: objectPath) }
      return HDF5Dataset(file: file, path: objectPath, identifier: dataset)
    }
  }

  private func defaultChunk(for shape: [Int]) -> [Int] {
    let rowBytes = max(1, shape.dropFirst().reduce(4, *))
    return [max(1, min(shape.first ?? 1, (64 * 1024) / rowBytes))] + shape.dropFirst()
  }
}

/// A variable-length UTF-8 string type; the caller closes it.
func makeVariableStringType() -> hid_t {
  let type = H5Tcopy(kiln_h5t_c_s1())
  _ = H5Tset_size(type, kiln_h5t_variable())
  _ = H5Tset_cset(type, H5T_CSET_UTF8)
  return type
}

/// Calls `body` with a C array of NUL-terminated copies of `strings`.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>) throws -> R) rethrows -> R {
  let copies = strings.map { strdup($0) }
  defer { copies.forEach { free($0) } }
  var pointers = copies.map { UnsafePointer<CChar>($0) }
  if pointers.isEmpty { pointers = [nil] }
  return try pointers.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
}
