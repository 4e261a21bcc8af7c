import CHDF5
import Foundation

/// An n-dimensional array stored in a file.
public final class HDF5Dataset: HDF5Object, @unchecked Sendable {
  public let file: HDF5File
  public let path: String
  public let identifier: hid_t

  init(file: HDF5File, path: String, identifier: hid_t) {
    self.file = file
    self.path = path
    self.identifier = identifier
  }

  deinit { closeIdentifier(identifier) }

  /// The extent of each dimension (empty for a scalar dataset).
  public var shape: [Int] {
    get throws {
      try HDF5Library.serialized {
        let space = H5Dget_space(identifier)
        guard space >= 0 else { throw failure("read shape") }
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank >= 0 else { throw failure("read shape") }
        var dimensions = [hsize_t](repeating: 0, count: rank)
        _ = H5Sget_simple_extent_dims(space, &dimensions, nil)
        return dimensions.map { Int($0) }
      }
    }
  }

  /// The stored element type.
  public var kind: HDF5ElementKind {
    get throws {
      try HDF5Library.serialized {
        let type = H5Dget_type(identifier)
        guard type >= 0 else { throw failure("read type") }
        defer { H5Tclose(type) }
        return HDF5ElementKind.of(type: type)
      }
    }
  }

  /// The chunk shape, or `nil` when the dataset is stored contiguously.
  public var chunkShape: [Int]? {
    get throws {
      try HDF5Library.serialized {
        let creation = H5Dget_create_plist(identifier)
        guard creation >= 0 else { throw failure("read layout") }
        defer { H5Pclose(creation) }
        guard H5Pget_layout(creation) == H5D_CHUNKED else { return nil }
        var dimensions = [hsize_t](repeating: 0, count: 32)
        let rank = H5Pget_chunk(creation, 32, &dimensions)
        return dimensions.prefix(Int(max(rank, 0))).map { Int($0) }
      }
    }
  }

  /// Writes the whole dataset from row-major `values`.
  public func write<T: HDF5Element>(_ values: [T]) throws {
    let count = try shape.reduce(1, *)
    precondition(values.count == count, "write \(path): \(values.count) values do not fill a dataset of \(count) elements")
    guard count > 0 else { return }
    try HDF5Library.serialized {
      let status = values.withUnsafeBufferPointer {
        H5Dwrite(identifier, T.hdf5NativeType, kiln_h5s_all(), kiln_h5s_all(), kiln_h5p_default(), $0.baseAddress)
      }
      guard status >= 0 else { throw failure("write") }
    }
  }

  /// Writes `values` into the hyperslab starting at `start` with extent `count`.
  public func write<T: HDF5Element>(_ values: UnsafeBufferPointer<T>, start: [Int], count: [Int]) throws {
    precondition(values.count == count.reduce(1, *), "write \(path): \(values.count) values do not fill a hyperslab of \(count)")
    try withHyperslab(start: start, count: count, operation: "write hyperslab") { memory, fileSpace in
      guard H5Dwrite(identifier, T.hdf5NativeType, memory, fileSpace, kiln_h5p_default(), values.baseAddress) >= 0 else {
        throw failure("write hyperslab")
      }
    }
  }

  /// Reads the whole dataset, converting to `T` when the stored type differs.
  public func read<T: HDF5Element>(as type: T.Type = T.self) throws -> [T] {
    let count = try shape.reduce(1, *)
    var values = [T](repeating: T.hdf5Zero, count: count)
    guard count > 0 else { return values }
    try HDF5Library.serialized {
      let status = values.withUnsafeMutableBufferPointer {
        H5Dread(identifier, T.hdf5NativeType, kiln_h5s_all(), kiln_h5s_all(), kiln_h5p_default(), $0.baseAddress)
      }
      guard status >= 0 else { throw failure("read", hint: "the stored type is \((try? kind)?.description ?? "unknown")") }
    }
    return values
  }

  /// Reads the hyperslab at `start` with extent `count` into a preallocated buffer.
  public func read<T: HDF5Element>(start: [Int], count: [Int], into buffer: UnsafeMutableBufferPointer<T>) throws {
    precondition(buffer.count >= count.reduce(1, *), "read \(path): buffer of \(buffer.count) cannot hold a hyperslab of \(count)")
    try withHyperslab(start: start, count: count, operation: "read hyperslab") { memory, fileSpace in
      guard H5Dread(identifier, T.hdf5NativeType, memory, fileSpace, kiln_h5p_default(), buffer.baseAddress) >= 0 else {
        throw failure("read hyperslab")
      }
    }
  }

  /// Reads whole rows (all trailing dimensions) `rows` into a preallocated buffer.
  public func readRows<T: HDF5Element>(_ rows: Range<Int>, into buffer: UnsafeMutableBufferPointer<T>) throws {
    let extent = try shape
    precondition(!extent.isEmpty, "readRows \(path): a scalar dataset has no rows")
    try read(start: [rows.lowerBound] + Array(repeating: 0, count: extent.count - 1),
             count: [rows.count] + extent.dropFirst(), into: buffer)
  }

  /// Reads the elements at `coordinates` (each of the dataset's rank) by point selection.
  public func readPoints<T: HDF5Element>(_ coordinates: [[Int]], into buffer: UnsafeMutableBufferPointer<T>) throws {
    precondition(buffer.count >= coordinates.count, "readPoints \(path): buffer of \(buffer.count) cannot hold \(coordinates.count) points")
    guard !coordinates.isEmpty else { return }
    let extent = try shape
    for point in coordinates {
      precondition(point.count == extent.count, "readPoints \(path): point \(point) does not have rank \(extent.count)")
      precondition(zip(point, extent).allSatisfy { $0 >= 0 && $0 < $1 }, "readPoints \(path): point \(point) lies outside shape \(extent)")
    }
    try HDF5Library.serialized {
      let fileSpace = H5Dget_space(identifier)
      guard fileSpace >= 0 else { throw failure("read points") }
      defer { H5Sclose(fileSpace) }
      var flat = coordinates.flatMap { $0.map { hsize_t($0) } }
      guard H5Sselect_elements(fileSpace, H5S_SELECT_SET, coordinates.count, &flat) >= 0 else { throw failure("select points") }
      var memoryExtent = [hsize_t(coordinates.count)]
      let memory = H5Screate_simple(1, &memoryExtent, nil)
      defer { H5Sclose(memory) }
      guard H5Dread(identifier, T.hdf5NativeType, memory, fileSpace, kiln_h5p_default(), buffer.baseAddress) >= 0 else {
        throw failure("read points")
      }
    }
  }

  /// Reads a one-dimensional dataset of strings (variable- or fixed-length).
  public func readStrings() throws -> [String] {
    try HDF5Library.serialized {
      let type = H5Dget_type(identifier)
      guard type >= 0 else { throw failure("read strings") }
      defer { H5Tclose(type) }
      guard H5Tget_class(type) == H5T_STRING else {
        throw problem("read strings", "the dataset holds \(HDF5ElementKind.of(type: type)), not strings")
      }
      let count = try shape.reduce(1, *)
      return try readStringValues(count: count, storedType: type, failure: { failure("read strings") }) { memoryType, buffer in
        H5Dread(identifier, memoryType, kiln_h5s_all(), kiln_h5s_all(), kiln_h5p_default(), buffer)
      }
    }
  }

  private func withHyperslab(start: [Int], count: [Int], operation: String,
                             _ body: (_ memory: hid_t, _ fileSpace: hid_t) throws -> Void) throws {
    try HDF5Library.serialized {
      let fileSpace = H5Dget_space(identifier)
      guard fileSpace >= 0 else { throw failure(operation) }
      defer { H5Sclose(fileSpace) }
      let extent = try shape
      precondition(start.count == extent.count && count.count == extent.count,
                   "\(operation) \(path): start \(start) and count \(count) must have the dataset's rank \(extent.count)")
      for axis in extent.indices {
        precondition(start[axis] >= 0 && count[axis] >= 0 && start[axis] + count[axis] <= extent[axis],
                     "\(operation) \(path): hyperslab start \(start) count \(count) lies outside shape \(extent)")
      }
      if count.contains(0) { return }
      var fileStart = start.map { hsize_t($0) }
      var fileCount = count.map { hsize_t($0) }
      guard H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &fileStart, nil, &fileCount, nil) >= 0 else { throw failure(operation) }
      let memory = H5Screate_simple(Int32(count.count), &fileCount, nil)
      guard memory >= 0 else { throw failure(operation) }
      defer { H5Sclose(memory) }
      try body(memory, fileSpace)
    }
  }
}

/// Reads `count` strings through `read`, which fills a buffer of the given memory type.
func readStringValues(count: Int, storedType: hid_t, failure: () -> HDF5Error,
                      _ read: (hid_t, UnsafeMutableRawPointer) -> herr_t) throws -> [String] {
  guard count > 0 else { return [] }
  if H5Tis_variable_str(storedType) > 0 {
    let memoryType = makeVariableStringType()
    defer { H5Tclose(memoryType) }
    var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
    let status = pointers.withUnsafeMutableBytes { read(memoryType, $0.baseAddress!) }
    guard status >= 0 else { throw failure() }
    defer { pointers.forEach { H5free_memory($0) } }
    return pointers.map { $0.map { String(cString: $0) } ?? "" }
  }
  let size = H5Tget_size(storedType)
  let memoryType = H5Tcopy(storedType)
  defer { H5Tclose(memoryType) }
  var bytes = [CChar](repeating: 0, count: size * count + 1)
  let status = bytes.withUnsafeMutableBytes { read(memoryType, $0.baseAddress!) }
  guard status >= 0 else { throw failure() }
  return (0..<count).map { index in
    let slice = bytes[(index * size)..<((index + 1) * size)].prefix { $0 != 0 }
    return String(decoding: slice.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
