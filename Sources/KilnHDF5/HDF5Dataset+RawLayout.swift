import CHDF5

/// Where the rows of an unfiltered dataset lie in its file, for readers that bypass the chunk
/// cache and read rows with positioned reads (`pread`) on their own file descriptor.
public struct HDF5RawRowLayout: Sendable, Equatable {
  /// Bytes per row (all trailing dimensions).
  public var rowBytes: Int
  /// Rows per chunk (the whole dataset for contiguous storage).
  public var chunkRows: Int
  /// File offset of each row-chunk, in row order.
  public var chunkOffsets: [UInt64]

  /// The file offset of `row`.
  @inlinable public func offset(ofRow row: Int) -> UInt64 {
    chunkOffsets[row / chunkRows] + UInt64((row % chunkRows) * rowBytes)
  }
}

extension HDF5Dataset {
  /// The raw layout of `T` rows, or `nil` when rows cannot be read directly: filters
  /// (compression) are set, the stored type is not `T`'s native type, chunks split a row, or some
  /// chunk was never written.
  public func rawRowLayout<T: HDF5Element>(of type: T.Type) throws -> HDF5RawRowLayout? {
    try HDF5Library.serialized {
      let extent = try shape
      guard let rows = extent.first, rows > 0 else { return nil }
      let stored = H5Dget_type(identifier)
      defer { H5Tclose(stored) }
      guard H5Tequal(stored, T.hdf5NativeType) > 0 else { return nil }
      let rowBytes = extent.dropFirst().reduce(MemoryLayout<T>.stride, *)
      let creation = H5Dget_create_plist(identifier)
      defer { H5Pclose(creation) }
      guard H5Pget_nfilters(creation) == 0 else { return nil }
      switch H5Pget_layout(creation) {
      case H5D_CONTIGUOUS:
        let address = H5Dget_offset(identifier)
        guard address != haddr_t.max else { _ = H5Eclear2(kiln_h5e_default()); return nil }
        return HDF5RawRowLayout(rowBytes: rowBytes, chunkRows: rows, chunkOffsets: [UInt64(address)])
      case H5D_CHUNKED:
        guard let chunk = try chunkShape, Array(chunk.dropFirst()) == Array(extent.dropFirst()) else { return nil }
        var offsets: [UInt64] = []
        var start = 0
        while start < rows {
          var coordinate = [hsize_t(start)] + Array(repeating: 0, count: extent.count - 1)
          var filterMask: UInt32 = 0
          var address: haddr_t = 0
          var size: hsize_t = 0
          guard H5Dget_chunk_info_by_coord(identifier, &coordinate, &filterMask, &address, &size) >= 0,
                address != haddr_t.max else {
            _ = H5Eclear2(kiln_h5e_default())
            return nil
          }
          offsets.append(UInt64(address))
          start += chunk[0]
        }
        return HDF5RawRowLayout(rowBytes: rowBytes, chunkRows: chunk[0], chunkOffsets: offsets)
      default:
        return nil
      }
    }
  }
}
