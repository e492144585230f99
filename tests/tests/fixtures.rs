//! Rule fixtures: `tests/fixtures/VNNN-name/fail.hcl` raises exactly the codes its
//! `#~ VNNN` markers name, on exactly those lines; `pass.hcl` raises nothing.

use std::collections::BTreeSet;

use vpce_diagnostics::Code;
use vpce_tests::{check_path, markers, render, repo_root, reported, sorted_entries};

fn fixture_dirs() -> Vec<std::path::PathBuf> {
    sorted_entries(&repo_root().join("tests/fixtures"))
        .into_iter()
        .filter(|p| p.is_dir())
        .collect()
}

#[test]
fn failing_fixtures_raise_exactly_their_markers() {
    for dir in fixture_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
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
            snapshot_suffix => name.clone(),
            description => format!("{name}/fail.hcl"),
            omit_expression => true,
        }, {
            insta::assert_snapshot!("fail", render(&outcome));
        });
    }
}

#[test]
fn passing_fixtures_raise_nothing() {
    for dir in fixture_dirs() {
        let outcome = check_path(&dir.join("pass.hcl"));
        assert!(
            outcome.diagnostics.is_empty(),
            "{}/pass.hcl:\n{}",
            dir.display(),
            render(&outcome)
        );
    }
}

/// Every code that `check` reports has a fixture (plan findings compare two
/// configurations; their pages' before/after pairs are tested by `vpce_emit_plan`).
#[test]
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
