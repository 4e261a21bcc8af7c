#ifndef KILN_COPENSSL_SHIM_H
#define KILN_COPENSSL_SHIM_H
// OpenSSL's libcrypto (Debian's libssl-dev): SHA-256 and Ed25519 through the EVP interface.
#include <openssl/evp.h>
#include <openssl/err.h>
#endif
