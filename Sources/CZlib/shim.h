#include <zlib.h>
// inflateInit2 is a macro: expose it as a function.
static inline int czlib_inflate_init2(z_stream *s, int windowBits) {
    return inflateInit2(s, windowBits);
}
static inline int czlib_deflate_init2(z_stream *s, int level, int windowBits) {
    return deflateInit2(s, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
