//! Embeds every `docs/rules/VNNN-name.md` page so `vpce explain` works from any directory.

use std::{env, fs, path::Path};

fn main() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    println!("cargo:rerun-if-changed={}", docs.display());
    let mut pages: Vec<(String, String)> = Vec::new();
    if let Ok(entries) = fs::read_dir(&docs) {
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
                continue;
            };
            if file.len() > 5 && file.starts_with('V') && file.ends_with(".md") {
                println!("cargo:rerun-if-changed={}", path.display());
                pages.push((file[..4].to_string(), path.display().to_string()));
            }
        }
    }
    pages.sort();
    let mut out = String::from("pub(super) static PAGES: &[(&str, &str)] = &[\n");
    for (code, path) in pages {
        out.push_str(&format!("    ({code:?}, include_str!({path:?})),\n"));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("rule_pages.rs");
    fs::write(dest, out).unwrap();
}
