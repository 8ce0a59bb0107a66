// liblz4 (Debian: liblz4-dev), for Parquet pages compressed with LZ4_RAW.
#include <lz4.h>
