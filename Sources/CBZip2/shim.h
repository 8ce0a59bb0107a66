// libbz2 (Debian: libbz2-dev), for MediaWiki dumps published as .xml.bz2.
#include <bzlib.h>
