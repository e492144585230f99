//! Every `.hcl` file of the repository's examples and tests formats without changing a
//! value (`format_source` re-parses its output and refuses any difference), and
//! formatting the result again changes nothing.

use std::path::{Path, PathBuf};

fn hcl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            hcl_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "hcl") {
            out.push(path);
        }
    }
}

#[test]
fn every_example_and_fixture_formats_without_changing_a_value_and_stably() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in [
        "examples",
        "tests/fixtures",
        "tests/realworld",
        "tests/expressions",
    ] {
        hcl_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 100, "only {} files found", files.len());
    let mut checked = 0;
    for path in &files {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue; // a fixture of invalid UTF-8
        };
        let once = match vpce_fmt::format_source(&source) {
            Ok(text) => text,
            // A fixture of a syntax error is refused, as it must be.
            Err(vpce_fmt::FormatError::Syntax(_)) if path.to_string_lossy().contains("V100") => {
                continue
            }
            Err(error) => panic!("{}: {error}", path.display()),
        };
        let twice = vpce_fmt::format_source(&once)
            .unwrap_or_else(|e| panic!("{}: formatted output refused: {e}", path.display()));
        assert_eq!(once, twice, "{}: a second run changed it", path.display());
        checked += 1;
    }
    assert!(checked > 100, "only {checked} files formatted");
}
