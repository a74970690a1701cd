// RecyclingAllocator: memory for the objects made once per request (the request, its handler),
// reused from a small per-thread store of freed blocks instead of a malloc each time.
#pragma once

#include <cstddef>
#include <new>

namespace tornado::detail {

// A block of at least size bytes, aligned for any object: a recently freed one of the same size
// class when the thread has one. Sizes above recycled_block_limit go straight to the heap.
void* recycled_allocate(std::size_t size);
// Gives a block back; the thread keeps a bounded number of them, the rest are freed.
void recycled_deallocate(void* block, std::size_t size) noexcept;
inline constexpr std::size_t recycled_block_limit = 4096;

template <typename T>
struct RecyclingAllocator {
    static_assert(alignof(T) <= alignof(std::max_align_t), "RecyclingAllocator: over-aligned type");
    using value_type = T;

    RecyclingAllocator() = default;
    template <typename U>
    RecyclingAllocator(const RecyclingAllocator<U>&) noexcept {}

    T* allocate(std::size_t count) { return static_cast<T*>(recycled_allocate(count * sizeof(T))); }
    void deallocate(T* pointer, std::size_t count) noexcept { recycled_deallocate(pointer, count * sizeof(T)); }

    template <typename U>
    bool operator==(const RecyclingAllocator<U>&) const noexcept {
        return true;
    }
};

}  // namespace tornado::detail
