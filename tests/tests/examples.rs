//! Every bundled example and every example of docs/language.md checks with no finding.
//!
//! Each example is a test of its own (`example::quickstart`), so a failure names its
//! example and does not hide the others; the harness is libtest-mimic's, as for
//! `tests/fixtures.rs`.

use std::path::{Path, PathBuf};

use libtest_mimic::Arguments;
use vpce_tests::{check_path, render, repo_root, sorted_entries, trial};

fn main() {
    let arguments = Arguments::from_args();
    let mut trials = vec![
        trial(
            "there_are_at_least_four_examples",
            there_are_at_least_four_examples,
        ),
        trial(
            "quickstart_is_the_complete_example_of_language_md",
            quickstart_is_the_complete_example_of_language_md,
        ),
        trial(
            "language_md_snippets_check_clean",
            language_md_snippets_check_clean,
        ),
    ];
    for dir in example_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        trials.push(trial(&format!("example::{name}"), move || {
            example_checks_clean(&dir)
        }));
    }
    libtest_mimic::run(&arguments, trials).exit();
}

fn example_dirs() -> Vec<PathBuf> {
    sorted_entries(&repo_root().join("examples"))
        .into_iter()
        .filter(|p| p.is_dir())
        .collect()
}

fn there_are_at_least_four_examples() {
    assert!(
        example_dirs().len() >= 4,
        "expected the quickstart and three more examples"
    );
}

fn example_checks_clean(dir: &Path) {
    let outcome = check_path(dir);
    assert!(
        outcome.diagnostics.is_empty(),
        "{} should check clean:\n{}",
        dir.display(),
        render(&outcome)
    );
    assert!(
        !outcome.model.vpcs.is_empty(),
        "{} declares no VPC",
        dir.display()
    );
}

fn language_md() -> String {
    let path = repo_root().join("docs/language.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The quickstart is docs/language.md's complete example, byte for byte.
fn quickstart_is_the_complete_example_of_language_md() {
    let page = language_md();
    let example = vpce_tests::hcl_block_after(&page, "## A complete example").expect("the example");
    let quickstart =
        std::fs::read_to_string(repo_root().join("examples/quickstart/main.hcl")).unwrap();
    assert_eq!(quickstart, example);
}

/// The snippets of docs/language.md check clean in a small network that declares what they
/// refer to.
fn language_md_snippets_check_clean() {
    const NETWORK: &str = r#"
region = "eu-west-1"
vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}
route_table "private" { vpc = vpc.main }
subnet "app_a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}
subnet "data_a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.2.0/24"
  route_table = route_table.private
}
security_group "app" { vpc = vpc.main }
endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
}
"#;
    let page = language_md();
    let files = vpce_tests::page_files(&page);
    let mut checked = 0;
    for block in page.split("```hcl\n").skip(1) {
        let snippet = &block[..block.find("\n```").unwrap() + 1];
        if snippet.contains("region = ") {
            continue; // the complete example, checked on its own above
        }
        let outcome = vpce_tests::check_text_with(&format!("{NETWORK}{snippet}"), &files);
        assert!(
            !outcome.has_errors(),
            "docs/language.md snippet has errors:\n{snippet}\n{}",
            render(&outcome)
        );
        checked += 1;
    }
    assert!(checked >= 2, "found {checked} snippets");
}
