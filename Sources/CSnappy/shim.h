// Snappy's C interface (Debian libsnappy-dev). Remote-write bodies are snappy's BLOCK format, which
// snappy_compress / snappy_uncompress produce and read (not the framed stream format).
#include <snappy-c.h>
