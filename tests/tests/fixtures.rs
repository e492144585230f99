//! Rule fixtures: `tests/fixtures/VNNN-name/fail.hcl` raises exactly the codes its
//! `#~ VNNN` markers name, on exactly those lines; `pass.hcl` raises nothing.
//!
//! Each fixture is a test of its own, named after it (`V203-subnet-overlap::fail`,
//! `V203-subnet-overlap::pass`), so a failure names its fixture and does not hide the
//! others: `cargo test -p vpce_tests --test fixtures V203` runs one rule's pair. The
//! harness is libtest-mimic's (`harness = false` in `tests/Cargo.toml`), because
//! libtest cannot make tests from a directory listing.

use std::{collections::BTreeSet, path::Path};

use libtest_mimic::Arguments;
use vpce_diagnostics::Code;
use vpce_tests::{check_path, markers, render, repo_root, reported, sorted_entries, trial};

fn main() {
    let arguments = Arguments::from_args();
    let mut trials = vec![trial(
        "every_check_code_has_a_fixture",
        every_check_code_has_a_fixture,
    )];
    for dir in fixture_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let (fail_name, fail_dir) = (name.clone(), dir.clone());
        trials.push(trial(&format!("{name}::fail"), move || {
            failing_fixture_raises_exactly_its_markers(&fail_name, &fail_dir)
        }));
        trials.push(trial(&format!("{name}::pass"), move || {
            passing_fixture_raises_nothing(&dir)
        }));
    }
    libtest_mimic::run(&arguments, trials).exit();
}

fn fixture_dirs() -> Vec<std::path::PathBuf> {
    sorted_entries(&repo_root().join("tests/fixtures"))
        .into_iter()
        .filter(|p| p.is_dir())
        .collect()
}

fn failing_fixture_raises_exactly_its_markers(name: &str, dir: &Path) {
    let code = Code::lookup(&name[..4]).unwrap_or_else(|| panic!("{name}: not a code"));
    assert_eq!(
        name,
        format!("{}-{}", code.as_str(), code.name()),
        "fixture directory name"
    );
    let path = dir.join("fail.hcl");
    let text = std::fs::read_to_string(&path).unwrap();
    let expected = markers(&text);
    assert!(
        expected.iter().all(|(_, c)| *c == code),
        "{name}/fail.hcl marks codes other than {code}"
    );
    assert!(
        !expected.is_empty(),
        "{name}/fail.hcl has no `#~ {code}` marker"
    );
    let outcome = check_path(&path);
    assert_eq!(
        reported(&outcome),
        expected,
        "{name}/fail.hcl:\n{}",
        render(&outcome)
    );
    insta::with_settings!({
        snapshot_suffix => name,
        description => format!("{name}/fail.hcl"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!("fail", render(&outcome));
    });
}

fn passing_fixture_raises_nothing(dir: &Path) {
    let outcome = check_path(&dir.join("pass.hcl"));
    assert!(
        outcome.diagnostics.is_empty(),
        "{}/pass.hcl:\n{}",
        dir.display(),
        render(&outcome)
    );
}

/// Every code that `check` reports has a fixture (plan findings compare two
/// configurations; their pages' before/after pairs are tested by `vpce_emit_plan`).
fn every_check_code_has_a_fixture() {
    let present: BTreeSet<String> = fixture_dirs()
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let checked = |c: &&Code| c.area() != "plan" && !vpce_check::PLANNED_CODES.contains(c);
    for code in Code::ALL.iter().filter(checked) {
        let dir = format!("{}-{}", code.as_str(), code.name());
        assert!(present.contains(&dir), "missing tests/fixtures/{dir}");
    }
}
