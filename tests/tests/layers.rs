//! The layering ARCHITECTURE.md promises, read off the source:
//! - only `vpce_cli` touches the file system, the environment or the clock (the compiler
//!   crates get files through `FileLoader`, so they stay deterministic and testable);
//! - CIDRs are parsed, zones looked up and services resolved once, in `vpce_model`; the
//!   rules, reachability, the emitter, the plan and the graph read the results.
//!
//! Test modules (everything after a file's first `#[cfg(test)]`) are not scanned.

use std::path::{Path, PathBuf};

use vpce_tests::{repo_root, sorted_entries};

/// Every `.rs` file under `dir`, recursively, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in sorted_entries(dir) {
        if entry.is_dir() {
            out.extend(rust_files(&entry));
        } else if entry.extension().is_some_and(|e| e == "rs") {
            out.push(entry);
        }
    }
    out
}

/// `(file, line number, line)` of each non-test line of `crate_name`'s library source
/// that contains one of `patterns`.
fn uses(crate_name: &str, patterns: &[&str]) -> Vec<String> {
    let root = repo_root();
    let src = root.join("crates").join(crate_name).join("src");
    let mut found = Vec::new();
    for file in rust_files(&src) {
        // Helper binaries (`src/bin`) are tools, not the compiler.
        if file.strip_prefix(&src).is_ok_and(|p| p.starts_with("bin")) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            if line.trim_start().starts_with("//") {
                continue;
            }
            if patterns.iter().any(|p| line.contains(p)) {
                let shown = file.strip_prefix(&root).unwrap().display();
                found.push(format!("{shown}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn only_the_cli_touches_files_environment_and_clock() {
    const IO: &[&str] = &[
        "std::fs",
        "fs::read",
        "fs::write",
        "File::open",
        "File::create",
        "std::env",
        "env::var",
        "SystemTime",
        "Instant::now",
        "std::process",
    ];
    // Test support compiled into the library because other crates' unit tests call it:
    // it compares a generated schema with the committed file.
    const ALLOWED: &[&str] = &["crates/vpce_diagnostics/src/schema.rs"];
    let mut found = Vec::new();
    for dir in sorted_entries(&repo_root().join("crates")) {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        if name == "vpce_cli" {
            continue;
        }
        found.extend(
            uses(&name, IO)
                .into_iter()
                .filter(|line| !ALLOWED.iter().any(|a| line.starts_with(a))),
        );
    }
    assert!(
        found.is_empty(),
        "IO outside vpce_cli:\n{}",
        found.join("\n")
    );
}

#[test]
fn facts_are_computed_once_in_the_model() {
    const FACTS: &[&str] = &[
        // CIDR parsing: `vpce_model::net::Cidr` holds the parsed block.
        "parse::<Ipv4Net>",
        "parse::<Ipv6Net>",
        "parse::<IpNet>",
        "Cidr::parse",
        // AZ lookup: `vpce_model::net::Zone` holds the zone.
        "region_of_az_id",
        "region_of_az_name",
        "Zone::parse",
        // Service resolution: `Endpoint::resolved_service`.
        "service::resolve",
    ];
    let mut found = Vec::new();
    for name in [
        "vpce_check",
        "vpce_reach",
        "vpce_emit_cfn",
        "vpce_emit_plan",
        "vpce_graph",
    ] {
        found.extend(uses(name, FACTS));
    }
    assert!(
        found.is_empty(),
        "facts computed again outside vpce_model:\n{}",
        found.join("\n")
    );
}
