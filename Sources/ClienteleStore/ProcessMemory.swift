#if canImport(Glibc)
import Glibc
#endif

/// The process's heap.
public enum ProcessMemory {
    /// Hands heap memory that was freed back to the system. glibc keeps freed blocks in its arenas (and raises
    /// its mmap threshold after large frees, so the next large arrays come from the heap too): without this a
    /// long-running server's resident memory steps up with each snapshot reload instead of staying flat
    /// (bench/load's soak), and a report process that has just built a snapshot keeps the builder's
    /// gigabytes while it reports.
    public static func returnFreed() {
        #if canImport(Glibc)
        // malloc_trim is glibc's (malloc.h, which Swift's Glibc module does not export): looked up by name.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            typealias Trim = @convention(c) (Int) -> Int32
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }
}
