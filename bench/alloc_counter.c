// bench/alloc_counter.c — counts heap allocations of a process and its children, for the
// benchmarks' "allocations per request". Loaded with LD_PRELOAD; the count lives in the file
// named by ALLOC_COUNT_FILE (8 bytes, a native-endian uint64), mapped shared so a forked child
// (nginx's worker) adds to the same count and the bench script reads it at any moment:
//
//   cc -O2 -shared -fPIC bench/alloc_counter.c -o alloc_counter.so
//   ALLOC_COUNT_FILE=/tmp/x.count LD_PRELOAD=./alloc_counter.so server…
//   od -An -t u8 /tmp/x.count
//
// Every malloc, calloc, realloc and aligned allocation counts one (C++'s operator new calls
// malloc). glibc's __libc_* entry points do the work, so nothing here allocates itself.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

extern void* __libc_malloc(size_t size);
extern void* __libc_calloc(size_t count, size_t size);
extern void* __libc_realloc(void* pointer, size_t size);
extern void* __libc_memalign(size_t alignment, size_t size);

// Allocations before the constructor mapped the file (the dynamic loader's) go here.
static uint64_t early_count;
static uint64_t* count = &early_count;

static void counted(void) { __atomic_fetch_add(count, 1, __ATOMIC_RELAXED); }

__attribute__((constructor)) static void map_count_file(void) {
    const char* path = getenv("ALLOC_COUNT_FILE");
    if (path == NULL) return;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return;
    if (ftruncate(fd, sizeof(uint64_t)) == 0) {
        void* shared = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (shared != MAP_FAILED) count = shared;
    }
    close(fd);
}

void* malloc(size_t size) {
    counted();
    return __libc_malloc(size);
}

void* calloc(size_t n, size_t size) {
    counted();
    return __libc_calloc(n, size);
}

void* realloc(void* pointer, size_t size) {
    counted();
    return __libc_realloc(pointer, size);
}

void* memalign(size_t alignment, size_t size) {
    counted();
    return __libc_memalign(alignment, size);
}

void* aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }

void* valloc(size_t size) { return memalign((size_t)sysconf(_SC_PAGESIZE), size); }

int posix_memalign(void** out, size_t alignment, size_t size) {
    if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    void* pointer = memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *out = pointer;
    return 0;
}
