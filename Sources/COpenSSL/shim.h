// Only libcrypto's digests: SHA-256 for content hashes and shard checksums.
#include <openssl/evp.h>
#include <openssl/sha.h>
