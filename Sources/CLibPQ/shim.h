#ifndef KILN_CLIBPQ_SHIM_H
#define KILN_CLIBPQ_SHIM_H
#include <libpq-fe.h>

// PG_DIAG_SQLSTATE is a character macro, which Swift imports with the wrong type: the field code
// of the five-character SQLSTATE in PQresultErrorField.
static inline int kiln_pq_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }

static void kiln_pq_ignore_notice(void *argument, const char *message) { (void)argument; (void)message; }

// libpq prints the server's notices ("relation already exists, skipping") on stderr unless a
// processor takes them; Kiln's commands keep stderr for their own errors.
static inline void kiln_pq_silence_notices(PGconn *connection) {
  PQsetNoticeProcessor(connection, kiln_pq_ignore_notice, 0);
}
#endif
