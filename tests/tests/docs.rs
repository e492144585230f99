//! The rule pages in `docs/rules/` are tested: the failing example raises exactly that
//! rule's code, the fixed example raises nothing.

use vpce_diagnostics::Code;
use vpce_tests::{check_text_with, hcl_block_after, page_files, render, repo_root, sorted_entries};

#[test]
fn every_page_is_named_after_a_code_and_its_examples_hold() {
    let pages = sorted_entries(&repo_root().join("docs/rules"));
    let mut seen = 0;
    for path in pages
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
    {
        let file = path.file_stem().unwrap().to_string_lossy().into_owned();
        if file == "README" {
            continue;
        }
        let code = Code::lookup(&file[..4]).unwrap_or_else(|| panic!("{file}: not a code"));
        assert_eq!(
            file,
            format!("{}-{}", code.as_str(), code.name()),
            "page file name"
        );
        let page = std::fs::read_to_string(path).unwrap();
        assert!(
            page.starts_with(&format!("# {}: {}\n", code.as_str(), code.name())),
            "{file}: title"
        );
        for heading in [
            "## What it does",
            "## Why",
            "## Failing example",
            "## Fixed example",
        ] {
            assert!(page.contains(heading), "{file}: missing `{heading}`");
        }
        assert_eq!(
            code.doc_page(),
            Some(page.as_str()),
            "{file}: `vpce explain` prints this page"
        );
        seen += 1;
        if code.area() == "plan" {
            // Plan findings compare two configurations: the page's examples are
            // before/after pairs, planned by the tests of `vpce_emit_plan`.
            continue;
        }
        // Module files the examples call are given as ```hcl PATH blocks of the page.
        let files = page_files(&page);
        let failing = hcl_block_after(&page, "## Failing example").expect("a failing example");
        let outcome = check_text_with(failing, &files);
        assert!(
            !outcome.diagnostics.is_empty() && outcome.diagnostics.iter().all(|d| d.code == code),
            "{file}: the failing example must raise only {code}:\n{}",
            render(&outcome)
        );
        let fixed = hcl_block_after(&page, "## Fixed example").expect("a fixed example");
        let outcome = check_text_with(fixed, &files);
        assert!(
            outcome.diagnostics.is_empty(),
            "{file}: the fixed example must be clean:\n{}",
            render(&outcome)
        );
    }
    assert_eq!(
        seen,
        Code::ALL.len() - vpce_check::PLANNED_CODES.len(),
        "one page per code that is not planned"
    );
}

#[test]
fn every_code_has_a_page() {
    for code in Code::ALL {
        if vpce_check::PLANNED_CODES.contains(code) {
            assert!(
                code.doc_page().is_none(),
                "{code} has a page: it is not planned"
            );
            continue;
        }
        assert!(code.doc_page().is_some(), "missing {}", code.doc_path());
    }
}

/// What a user reads (docs, rule pages, help text, plan data, schemas, examples) cites
/// AWS pages and the project's own docs, never the design notes the project was built
/// from, which a clone of the repository does not have.
#[test]
fn user_facing_text_cites_only_what_users_have() {
    const ABSENT: [&str; 6] = [
        "AWS-FACTS",
        "DESIGN.md",
        "RULES.md",
        "LANGUAGE.md",
        "STYLE.md",
        "AWS facts",
    ];
    let root = repo_root();
    let mut files: Vec<std::path::PathBuf> = ["README.md", "CONTRIBUTING.md", "ARCHITECTURE.md"]
        .iter()
        .map(|f| root.join(f))
        .collect();
    let mut dirs: Vec<std::path::PathBuf> = [
        "docs",
        "examples",
        "schemas",
        "crates/vpce_cli/src",
        "crates/vpce_data/data",
        "crates/vpce_emit_plan/data",
    ]
    .iter()
    .map(|d| root.join(d))
    .collect();
    while let Some(dir) = dirs.pop() {
        for entry in sorted_entries(&dir) {
            if entry.is_dir() {
                dirs.push(entry);
            } else {
                files.push(entry);
            }
        }
    }
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            if let Some(name) = ABSENT.iter().find(|name| line.contains(*name)) {
                found.push(format!("{}:{}: {name}", file.display(), number + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "cite AWS or docs/ instead:\n{}",
        found.join("\n")
    );
}
