import CHDF5
import Foundation

/// Attributes: small named values attached to a group or dataset. Setting an attribute that
/// exists replaces it.
extension HDF5Object {
  /// Whether an attribute called `name` exists.
  public func hasAttribute(_ name: String) -> Bool {
    HDF5Library.serialized {
      let result = H5Aexists(identifier, name)
      _ = H5Eclear2(kiln_h5e_default())
      return result > 0
    }
  }

  /// The names of all attributes, in name order.
  public func attributeNames() throws -> [String] {
    try HDF5Library.serialized {
      var info = H5O_info_t()
      guard H5Oget_info2(identifier, &info, UInt32(H5O_INFO_NUM_ATTRS)) >= 0 else { throw failure("list attributes") }
      var names: [String] = []
      for index in 0..<info.num_attrs {
        let length = H5Aget_name_by_idx(identifier, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, kiln_h5p_default())
        guard length >= 0 else { throw failure("list attributes") }
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        _ = H5Aget_name_by_idx(identifier, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, kiln_h5p_default())
        names.append(String(cString: buffer))
      }
      return names
    }
  }

  /// Removes the attribute `name`; nothing happens when it does not exist.
  public func deleteAttribute(_ name: String) throws {
    guard hasAttribute(name) else { return }
    try HDF5Library.serialized {
      guard H5Adelete(identifier, name) >= 0 else { throw failure("delete attribute \(name)") }
    }
  }

  /// Stores a scalar string attribute.
  public func setAttribute(_ name: String, _ value: String) throws {
    try setStrings(name, [value], scalar: true)
  }

  /// Stores a one-dimensional string-array attribute.
  public func setAttribute(_ name: String, _ values: [String]) throws {
    try setStrings(name, values, scalar: false)
  }

  /// Stores a scalar integer attribute (as int64).
  public func setAttribute(_ name: String, _ value: Int) throws {
    try setValues(name, [Int64(value)], scalar: true)
  }

  /// Stores a scalar float64 attribute.
  public func setAttribute(_ name: String, _ value: Double) throws {
    try setValues(name, [value], scalar: true)
  }

  /// Stores a one-dimensional numeric attribute of any supported element type.
  public func setAttribute<T: HDF5Element>(_ name: String, _ values: [T]) throws {
    try setValues(name, values, scalar: false)
  }

  /// Reads a string attribute (scalar, or the first element of an array).
  public func stringAttribute(_ name: String) throws -> String {
    guard let first = try stringArrayAttribute(name).first else {
      throw problem("read attribute \(name)", "the attribute is empty")
    }
    return first
  }

  /// Reads a string-array attribute (a scalar reads as one element).
  public func stringArrayAttribute(_ name: String) throws -> [String] {
    try withAttribute(name) { attribute, count in
      let type = H5Aget_type(attribute)
      defer { H5Tclose(type) }
      guard H5Tget_class(type) == H5T_STRING else {
        throw problem("read attribute \(name)", "the attribute holds \(HDF5ElementKind.of(type: type)), not strings")
      }
      return try readStringValues(count: count, storedType: type, failure: { failure("read attribute \(name)") }) { memoryType, buffer in
        H5Aread(attribute, memoryType, buffer)
      }
    }
  }

  /// Reads a numeric attribute as `T` (HDF5 converts between numeric types).
  public func attributeValues<T: HDF5Element>(_ name: String, as type: T.Type = T.self) throws -> [T] {
    try withAttribute(name) { attribute, count in
      let stored = H5Aget_type(attribute)
      defer { H5Tclose(stored) }
      let storedClass = H5Tget_class(stored)
      guard storedClass == H5T_INTEGER || storedClass == H5T_FLOAT else {
        throw problem("read attribute \(name)", "the attribute holds \(HDF5ElementKind.of(type: stored)), not numbers")
      }
      var values = [T](repeating: T.hdf5Zero, count: count)
      let status = values.withUnsafeMutableBytes { H5Aread(attribute, T.hdf5NativeType, $0.baseAddress) }
      guard status >= 0 else { throw failure("read attribute \(name)") }
      return values
    }
  }

  /// Reads a scalar integer attribute.
  public func integerAttribute(_ name: String) throws -> Int {
    guard let first = try attributeValues(name, as: Int64.self).first else {
      throw problem("read attribute \(name)", "the attribute is empty")
    }
    return Int(first)
  }

  /// Reads a scalar float64 attribute.
  public func doubleAttribute(_ name: String) throws -> Double {
    guard let first = try attributeValues(name, as: Double.self).first else {
      throw problem("read attribute \(name)", "the attribute is empty")
    }
    return first
  }

  private func withAttribute<R>(_ name: String, _ body: (hid_t, Int) throws -> R) throws -> R {
    try HDF5Library.serialized {
      guard hasAttribute(name) else {
        throw problem("read attribute \(name)", "no such attribute")
      }
      let attribute = H5Aopen(identifier, name, kiln_h5p_default())
      guard attribute >= 0 else { throw failure("open attribute \(name)") }
      defer { H5Aclose(attribute) }
      let space = H5Aget_space(attribute)
      defer { H5Sclose(space) }
      let count = Int(H5Sget_simple_extent_npoints(space))
      return try body(attribute, count)
    }
  }

  private func createAttribute(_ name: String, type: hid_t, count: Int, scalar: Bool) throws -> hid_t {
    if hasAttribute(name) {
      guard H5Adelete(identifier, name) >= 0 else { throw failure("replace attribute \(name)") }
    }
    var extent = [hsize_t(count)]
    let space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &extent, nil)
    defer { H5Sclose(space) }
    let attribute = H5Acreate2(identifier, name, type, space, kiln_h5p_default(), kiln_h5p_default())
    guard attribute >= 0 else { throw failure("create attribute \(name)") }
    return attribute
  }

  private func setStrings(_ name: String, _ values: [String], scalar: Bool) throws {
    try HDF5Library.serialized {
      let type = makeVariableStringType()
      defer { H5Tclose(type) }
      let attribute = try createAttribute(name, type: type, count: values.count, scalar: scalar)
      defer { H5Aclose(attribute) }
      guard !values.isEmpty else { return }
      try withCStringArray(values) { pointers in
        guard H5Awrite(attribute, type, pointers) >= 0 else { throw failure("write attribute \(name)") }
      }
    }
  }

  private func setValues<T: HDF5Element>(_ name: String, _ values: [T], scalar: Bool) throws {
    try HDF5Library.serialized {
      let attribute = try createAttribute(name, type: T.hdf5NativeType, count: values.count, scalar: scalar)
      defer { H5Aclose(attribute) }
      guard !values.isEmpty else { return }
      let status = values.withUnsafeBytes { H5Awrite(attribute, T.hdf5NativeType, $0.baseAddress) }
      guard status >= 0 else { throw failure("write attribute \(name)") }
    }
  }
}
