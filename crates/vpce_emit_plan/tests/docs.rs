//! The plan rules' pages (`docs/rules/V95x-*.md`) show a change as two configurations,
//! before and after. The failing pair, planned old against new, raises exactly the
//! page's code; the fixed pair raises nothing; all four configurations check clean.

use vpce_diagnostics::Code;
use vpce_driver::check_text;
use vpce_emit_plan::{merge_sources, plan, Options, Previous};

/// The ```hcl blocks of a section (up to the next `## ` heading).
fn blocks<'p>(page: &'p str, heading: &str) -> Vec<&'p str> {
    let start = page
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}`"))
        + heading.len();
    let rest = &page[start..];
    let section = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let mut out = Vec::new();
    let mut text = section;
    while let Some(open) = text.find("```hcl\n") {
        let body = &text[open + "```hcl\n".len()..];
        let close = body.find("\n```").expect("a closed block");
        out.push(&body[..close + 1]);
        text = &body[close + 4..];
    }
    out
}

fn plan_codes(file: &str, old: &str, new: &str) -> Vec<Code> {
    let old = check_text(old);
    let new = check_text(new);
    for (which, outcome) in [("before", &old), ("after", &new)] {
        assert!(
            outcome.diagnostics.is_empty(),
            "{file}: the {which} configuration must check clean: {:#?}",
            outcome.diagnostics
        );
    }
    let (_, file_offset) = merge_sources(&new.sources, &old.sources);
    let plan = plan(
        &new.valid_model().expect("no errors"),
        Previous::Config {
            model: &old.valid_model().expect("no errors"),
            file_offset,
            simulated: None,
        },
        &Options::default(),
    );
    plan.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn plan_rule_pages_hold() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("V95") && n.ends_with(".md"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "V950-replacement-dns-conflict.md",
            "V951-replacement-route-conflict.md",
            "V952-destructive-change.md"
        ]
    );
    for name in names {
        let code = Code::lookup(&name[..4]).unwrap();
        let page = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
        let failing = blocks(&page, "## Failing example");
        let fixed = blocks(&page, "## Fixed example");
        assert_eq!(
            (failing.len(), fixed.len()),
            (2, 2),
            "{name}: before and after"
        );
        assert_eq!(
            plan_codes(&name, failing[0], failing[1]),
            [code],
            "{name}: the failing pair raises exactly {}",
            code.as_str()
        );
        assert_eq!(
            plan_codes(&name, fixed[0], fixed[1]),
            [],
            "{name}: the fixed pair raises nothing"
        );
    }
}
