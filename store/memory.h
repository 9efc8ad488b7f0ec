// How much memory the calling thread's work holds: a meter for limits on
// one query (an error, not an out-of-memory kill). Measured by the allocator
// the program runs on: jemalloc's per-thread counters in the release build,
// AddressSanitizer's in the test build, glibc's otherwise.
#pragma once

#include <cstdint>

namespace sinew {

// Bytes allocated and not yet freed, as the allocator counts them: by this
// thread under jemalloc, by the whole process otherwise. Only differences
// between two readings mean anything.
int64_t AllocatedBytes();

}  // namespace sinew
