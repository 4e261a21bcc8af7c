#ifndef KILN_CSQLITE_SHIM_H
#define KILN_CSQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import: it
// tells SQLite to copy a bound text or blob before the bind call returns.
static inline sqlite3_destructor_type kiln_sqlite_transient(void) {
  return SQLITE_TRANSIENT;
}
#endif
