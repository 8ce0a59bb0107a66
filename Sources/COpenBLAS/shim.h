#include <cblas.h>
// OpenBLAS's own: stops the worker threads it starts when it loads (not declared in cblas.h).
void blas_thread_shutdown_(void);
