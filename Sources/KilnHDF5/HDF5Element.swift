import CHDF5

/// A scalar type that HDF5 stores natively and Kiln reads and writes without conversion.
public protocol HDF5Element: Sendable {
  /// The HDF5 native type identifier for this Swift type.
  static var hdf5NativeType: hid_t { get }
  /// The stored kind that a dataset written from this type has.
  static var hdf5Kind: HDF5ElementKind { get }
  /// The zero value used to preallocate buffers.
  static var hdf5Zero: Self { get }
}

extension Float: HDF5Element {
  public static var hdf5NativeType: hid_t { kiln_h5t_native_float() }
  public static var hdf5Kind: HDF5ElementKind { .float32 }
  public static var hdf5Zero: Float { 0 }
}

extension Double: HDF5Element {
  public static var hdf5NativeType: hid_t { kiln_h5t_native_double() }
  public static var hdf5Kind: HDF5ElementKind { .float64 }
  public static var hdf5Zero: Double { 0 }
}

extension Int8: HDF5Element {
  public static var hdf5NativeType: hid_t { kiln_h5t_native_int8() }
  public static var hdf5Kind: HDF5ElementKind { .int8 }
  public static var hdf5Zero: Int8 { 0 }
}

extension UInt8: HDF5Element {
  public static var hdf5NativeType: hid_t { kiln_h5t_native_uint8() }
  public static var hdf5Kind: HDF5ElementKind { .uint8 }
  public static var hdf5Zero: UInt8 { 0 }
}

extension Int32: HDF5Element {
  public static var hdf5NativeType: hid_t { kiln_h5t_native_int32() }
  public static var hdf5Kind: HDF5ElementKind { .int32 }
  public static var hdf5Zero: Int32 { 0 }
}

extension UInt32: HDF5Element {
  public static var hdf5NativeType: hid_t { kiln_h5t_native_uint32() }
  public static var hdf5Kind: HDF5ElementKind { .uint32 }
  public static var hdf5Zero: UInt32 { 0 }
}

extension Int64: HDF5Element {
  public static var hdf5NativeType: hid_t { kiln_h5t_native_int64() }
  public static var hdf5Kind: HDF5ElementKind { .int64 }
  public static var hdf5Zero: Int64 { 0 }
}

/// The type a dataset or attribute has on disk.
public enum HDF5ElementKind: String, Sendable, Equatable, CustomStringConvertible {
  case float32, float64, int8, uint8, int16, uint16, int32, uint32, int64, uint64, string, other

  public var description: String { rawValue }

  /// Classifies an HDF5 datatype identifier.
  static func of(type: hid_t) -> HDF5ElementKind {
    let size = H5Tget_size(type)
    switch H5Tget_class(type) {
    case H5T_FLOAT:
      return size == 4 ? .float32 : size == 8 ? .float64 : .other
    case H5T_INTEGER:
      let signed = H5Tget_sign(type) == H5T_SGN_2
      switch (size, signed) {
      case (1, true): return .int8
      case (1, false): return .uint8
      case (2, true): return .int16
      case (2, false): return .uint16
      case (4, true): return .int32
      case (4, false): return .uint32
      case (8, true): return .int64
      case (8, false): return .uint64
      default: return .other
      }
    case H5T_STRING:
      return .string
    default:
      return .other
    }
  }
}
