#ifndef KILN_CMPI_SHIM_H
#define KILN_CMPI_SHIM_H
#include <mpi.h>

// Open MPI defines its handles as macros over the addresses of global objects
// (`#define MPI_COMM_WORLD OMPI_PREDEFINED_GLOBAL(MPI_Comm, ompi_mpi_comm_world)`), which
// Swift cannot import. These accessors return them as values.
static inline MPI_Comm kiln_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Comm kiln_mpi_comm_null(void) { return MPI_COMM_NULL; }
static inline MPI_Datatype kiln_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype kiln_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype kiln_mpi_int32(void) { return MPI_INT32_T; }
static inline MPI_Datatype kiln_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype kiln_mpi_uint8(void) { return MPI_UINT8_T; }
static inline MPI_Datatype kiln_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op kiln_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op kiln_mpi_max(void) { return MPI_MAX; }
static inline MPI_Op kiln_mpi_min(void) { return MPI_MIN; }
static inline MPI_Errhandler kiln_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline int kiln_mpi_any_source(void) { return MPI_ANY_SOURCE; }
static inline int kiln_mpi_any_tag(void) { return MPI_ANY_TAG; }
static inline int kiln_mpi_success(void) { return MPI_SUCCESS; }
static inline int kiln_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline void *kiln_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Status *kiln_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline MPI_Request kiln_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *kiln_mpi_statuses_ignore(void) { return MPI_STATUSES_IGNORE; }
#endif
