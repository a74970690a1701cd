// Per-thread free lists of blocks by size class (multiples of 64 bytes up to 4 KB). Each class
// keeps at most 8 blocks: about 1 MB per thread if every class filled up, in practice the few
// classes the request and handler objects fall in; a burst of concurrent requests returns its
// surplus to the heap.
#include "tornado/detail/recycling_allocator.hpp"

#include <array>
#include <cstdlib>
#include <utility>

namespace tornado::detail {

namespace {
constexpr std::size_t class_size = 64;
constexpr std::size_t class_count = recycled_block_limit / class_size;
constexpr std::size_t blocks_per_class = 8;

struct FreeBlock {
    FreeBlock* next;
};

struct FreeLists {
    std::array<FreeBlock*, class_count> heads{};
    std::array<std::size_t, class_count> counts{};

    ~FreeLists();
};

// Set once the thread's store is destroyed: blocks freed later (by other thread_local objects)
// go to the heap.
thread_local bool store_gone = false;

FreeLists::~FreeLists() {
    for (auto* head : heads) {
        while (head) std::free(std::exchange(head, head->next));
    }
    store_gone = true;
}

// Under AddressSanitizer every block goes back to the heap, so a use after free is caught.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool recycling = false;
#else
constexpr bool recycling = true;
#endif

FreeLists* store() {
    if (!recycling || store_gone) return nullptr;
    thread_local FreeLists lists;
    return &lists;
}

std::size_t class_of(std::size_t size) { return (size + class_size - 1) / class_size - 1; }
}  // namespace

void* recycled_allocate(std::size_t size) {
    if (size == 0) size = 1;
    if (size <= recycled_block_limit) {
        auto index = class_of(size);
        if (auto* lists = store(); lists && lists->heads[index]) {
            auto* block = lists->heads[index];
            lists->heads[index] = block->next;
            --lists->counts[index];
            return block;
        }
        size = (index + 1) * class_size;  // the whole class, so any block of it fits any size of it
    }
    if (void* block = std::malloc(size)) return block;
    throw std::bad_alloc();
}

void recycled_deallocate(void* block, std::size_t size) noexcept {
    if (size == 0) size = 1;
    if (size <= recycled_block_limit) {
        auto index = class_of(size);
        auto* lists = store();
        if (lists && lists->counts[index] < blocks_per_class) {
            lists->heads[index] = new (block) FreeBlock{lists->heads[index]};
            ++lists->counts[index];
            return;
        }
    }
    std::free(block);
}

}  // namespace tornado::detail
