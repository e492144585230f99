//! `cargo bench -p vpce_driver`: parse alone against the whole check, at 1k and 10k
//! endpoints. The target: check within 2× of the parse alone, growing linearly.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// The allocator the `vpce` binary uses, so the figures match the shipped program.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use vpce_diagnostics::FileId;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for endpoints in [1_000, 10_000] {
        let text = vpce_driver::generate::configuration(endpoints);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse", endpoints), &text, |b, text| {
            b.iter(|| vpce_syntax::parse_file(FileId(0), text))
        });
        group.bench_with_input(BenchmarkId::new("check", endpoints), &text, |b, text| {
            b.iter(|| vpce_driver::check_text(text))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
