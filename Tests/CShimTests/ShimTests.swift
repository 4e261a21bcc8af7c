import CHDF5
import CMPI
import COpenBLAS
import Testing

/// These tests prove that the system libraries were found by pkg-config, link, and behave.
@Suite struct ShimTests {
  @Test func openBLASMultipliesTwoByTwoMatrices() {
    let a: [Float] = [1, 2, 3, 4]
    let b: [Float] = [5, 6, 7, 8]
    var c = [Float](repeating: 0, count: 4)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, &c, 2)
    #expect(c == [19, 22, 43, 50])
  }

  @Test func openBLASHonoursTransposeFlags() {
    // Aᵀ·B with A stored row-major as [[1,2],[3,4]] gives [[26,30],[38,44]].
    let a: [Float] = [1, 2, 3, 4]
    let b: [Float] = [5, 6, 7, 8]
    var c = [Float](repeating: 0, count: 4)
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, &c, 2)
    #expect(c == [26, 30, 38, 44])
  }

  @Test func hdf5ReportsVersionOneAndNativeTypesAreDistinct() {
    var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
    #expect(H5get_libversion(&major, &minor, &release) >= 0)
    #expect(major == 1)
    #expect(kiln_h5t_native_float() != kiln_h5t_native_double())
    #expect(H5Tget_size(kiln_h5t_native_float()) == 4)
  }

  @Test func mpiReportsStandardVersionThree() {
    var version: Int32 = 0, subversion: Int32 = 0
    #expect(MPI_Get_version(&version, &subversion) == kiln_mpi_success())
    #expect(version >= 3)
  }
}
