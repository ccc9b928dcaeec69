#ifndef ISPWATCH_CMALLOC_H
#define ISPWATCH_CMALLOC_H

// glibc's <malloc.h> (malloc_trim, mallopt), which Swift's Glibc module leaves out.
// Header only. The daemon uses it to give back what loading 100,000 targets freed and to cap the
// arenas.
#include <malloc.h>

#endif
