//! The allocator of both binaries (`vpce` and `vpce-parse`, the benchmarks' baseline).
//!
//! The compiler allocates many small strings and trees; mimalloc makes a whole check of
//! 10k endpoints about a fifth faster than the system allocator (scripts/bench).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (`mimalloc.h`, `mi_option_e`; the -sys crate
/// names no constant for it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Call first thing in `main`. mimalloc v3 returns freed pages to the system only after
/// a second; a check frees hcl-edit's tree while it lowers it and allocates the model
/// right after, so with that delay the tree's pages are still held when the model's are
/// added: peak memory at 10k endpoints is 199 MB instead of 158 MB. 10 ms (v2's default)
/// costs no measurable time; 0 (purge at once) doubles the CPU time.
pub fn configure() {
    // SAFETY: sets one integer option in mimalloc's option table; any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 10) }
}

/// Configurations of at least this many bytes (about 55k endpoints) run without
/// transparent huge pages.
#[allow(dead_code)] // not used by `vpce-parse`, which includes this file too
pub const LARGE_INPUT: usize = 16 << 20;

/// Turns transparent huge pages off for the rest of the process. With them, the first
/// touch of freshly committed memory makes the kernel zero 2 MiB, and the purges above
/// split and refill those pages. Measured on the 2-core machine (best of three): at 100k
/// endpoints (29 MB) `plan` takes 7.5 s without them against 8.8 s with them and `build`
/// 9.7 s against 11.7 s (perf: `clear_page_erms` under `do_huge_pmd_anonymous_page`
/// was a third of a plan's samples); at 10k and 30k they help `check`, `plan` and the
/// parse alone (10k: parse 0.11 s with them, 0.19 s without). So only a large
/// configuration turns them off, once it is read; what was allocated before keeps its
/// pages. The benchmarks' baseline (`vpce-parse`) never calls this.
#[allow(dead_code)] // not called by `vpce-parse`, which includes this file too
pub fn disable_huge_pages() {
    // Only a hint: where the kernel refuses, the process keeps its huge pages.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}
