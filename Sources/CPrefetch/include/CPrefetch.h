#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the processor to bring the cache line at `address` into its caches without waiting for it (a hint:
/// it never faults). Swift has no prefetch of its own; this inlines to one instruction.
static inline __attribute__((always_inline)) void clientele_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
