#ifndef KILN_CZLIB_SHIM_H
#define KILN_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 is a macro (it passes the library version and the stream's size), which Swift
// cannot call: window bits 15 + 32 accept zlib and gzip headers alike.
static inline int kiln_inflate_init_gzip(z_stream *stream) {
  return inflateInit2(stream, 15 + 32);
}
#endif
