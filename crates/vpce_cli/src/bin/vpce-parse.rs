//! `vpce-parse FILE...`: parses each file with hcl-edit and nothing else, one after the
//! other. `scripts/bench` measures every vpce command against this baseline: the cost of
//! reading the same bytes into a syntax tree.

/// The allocator the `vpce` binary uses, so the baseline pays what vpce pays (with the
/// machine's default for transparent huge pages, which vpce keeps below 16 MiB).
#[path = "../allocator.rs"]
mod allocator;

fn main() {
    allocator::configure();
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: vpce-parse FILE...");
        std::process::exit(2);
    }
    let mut blocks = 0;
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{file}: {e}");
                std::process::exit(2);
            }
        };
        match hcl_edit::parser::parse_body(&text) {
            Ok(body) => blocks += body.len(),
            Err(e) => {
                eprintln!("{file}: {e}");
                std::process::exit(1);
            }
        }
    }
    println!("{blocks} top-level structures");
}
