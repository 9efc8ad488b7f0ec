// jemalloc's settings, read when it starts (before main). sinew and
// sinew-serve link Debian's jemalloc in place of glibc's malloc (see
// cli/CMakeLists.txt) for one reason: transparent huge pages. On these
// machines a page fault costs about 12 us, and a bulk load touches ~400 MB
// in 4 KB pages: 125,000 faults, a third of the load. Backed by 2 MB pages
// the load takes half the time, and a cold projection (chains, path,
// impact) about 60 % (docs/benchmarks.md). Where the kernel offers no huge
// pages the setting does nothing.
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's interface.
const char* malloc_conf = "thp:always,metadata_thp:auto";
}
