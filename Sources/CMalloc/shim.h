#ifndef ISPWATCH_CMALLOC_H
#define ISPWATCH_CMALLOC_H

// glibc's <malloc.h> (malloc_trim, mallopt, mallinfo2), which Swift's Glibc module leaves out.
// Header only. The daemon uses it to give back what loading 100,000 targets freed, to cap the
// arenas, and to report how much the allocator holds.
#include <malloc.h>

#endif
