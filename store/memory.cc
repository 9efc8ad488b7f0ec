#include "store/memory.h"

#include <malloc.h>

#include <cstddef>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SINEW_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SINEW_ASAN 1
#endif

#ifdef SINEW_ASAN
#include <sanitizer/allocator_interface.h>
#endif

// jemalloc's control interface, present when the program links jemalloc
// (cli/CMakeLists.txt); a weak reference is null otherwise.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp,
                       size_t newlen) __attribute__((weak));

namespace sinew {

int64_t AllocatedBytes() {
#ifdef SINEW_ASAN
  return static_cast<int64_t>(__sanitizer_get_current_allocated_bytes());
#else
  if (mallctl) {
    // Pointers to this thread's running totals: read without a call after
    // the first time.
    thread_local uint64_t* allocated = nullptr;
    thread_local uint64_t* deallocated = nullptr;
    if (!allocated) {
      size_t len = sizeof(allocated);
      if (mallctl("thread.allocatedp", &allocated, &len, nullptr, 0) != 0 ||
          mallctl("thread.deallocatedp", &deallocated, &len, nullptr, 0) != 0) {
        allocated = deallocated = nullptr;
        return 0;
      }
    }
    return static_cast<int64_t>(*allocated) - static_cast<int64_t>(*deallocated);
  }
  struct mallinfo2 m = mallinfo2();
  return static_cast<int64_t>(m.uordblks + m.hblkhd);
#endif
}

}  // namespace sinew
