// Debian's libxml2 is built with ICU; its headers then clash with Foundation's private ICU module
// ("'UErrorCode' has different definitions in different modules"). Hiding ICU only drops two trailing
// pointer fields of xmlCharEncodingHandler, which we never allocate.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
// xmlFree is a global function-pointer variable, which Swift 6 rejects as not concurrency-safe.
static inline void cxml_free(void *p) { xmlFree(p); }
