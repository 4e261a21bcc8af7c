import CHDF5

/// A group or dataset inside an open file; attributes hang off any object.
public protocol HDF5Object: AnyObject {
  /// The file the object belongs to (kept alive by the object).
  var file: HDF5File { get }
  /// The absolute path inside the file.
  var path: String { get }
  /// The library identifier; valid while the object and its file are open.
  var identifier: hid_t { get }
}

extension HDF5Object {
  /// Builds an error naming this object from the current HDF5 error stack.
  func failure(_ operation: String, hint: String? = nil) -> HDF5Error {
    HDF5Library.error(operation, file: file.path, object: path, hint: hint)
  }

  /// Builds an error naming this object with Kiln's own message.
  func problem(_ operation: String, _ message: String, hint: String? = nil) -> HDF5Error {
    HDF5Error(operation: operation, filePath: file.path, objectPath: path, libraryMessage: message, hint: hint)
  }

  /// The path of a child called `name`.
  func childPath(_ name: String) -> String {
    path == "/" ? "/" + name : path + "/" + name
  }
}

/// Closes an identifier with the matching close function, ignoring failures after a strong file close.
func closeIdentifier(_ identifier: hid_t) {
  HDF5Library.serialized {
    guard H5Iis_valid(identifier) > 0 else { return }
    switch H5Iget_type(identifier) {
    case H5I_GROUP: _ = H5Gclose(identifier)
    case H5I_DATASET: _ = H5Dclose(identifier)
    case H5I_DATATYPE: _ = H5Tclose(identifier)
    case H5I_DATASPACE: _ = H5Sclose(identifier)
    case H5I_ATTR: _ = H5Aclose(identifier)
    default: break
    }
    _ = H5Eclear2(kiln_h5e_default())
  }
}
