// libsnappy (Debian: libsnappy-dev), through its C API: Parquet's most common page codec.
#include <snappy-c.h>
