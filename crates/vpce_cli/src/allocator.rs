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
///
/// Transparent huge pages are off for the process: with them the first touch of
/// freshly committed memory makes the kernel zero 2 MiB, and the purges above split and
/// refill those pages; at 100k endpoints that doubled a plan's system time (perf:
/// `clear_page_erms` under `do_huge_pmd_anonymous_page`, a third of all samples). The
/// process flag, not mimalloc's `allow_thp` option, because mimalloc has already asked
/// for huge pages for its first arena before `main` runs.
pub fn configure() {
    // SAFETY: sets one integer option in mimalloc's option table; any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 10) }
    // Only a hint: where the kernel refuses, the process keeps its huge pages.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}
