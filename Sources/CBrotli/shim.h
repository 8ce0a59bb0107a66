// libbrotli's decoder (Debian: libbrotli-dev), for Parquet pages compressed with BROTLI.
#include <brotli/decode.h>
