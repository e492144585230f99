//! The template and the plan describe the same resources: for every configuration
//! without errors that the repository holds (examples, the real-world corpus, the
//! passing rule fixtures), the logical ids of all stacks' resources are exactly the
//! plan's, each once. A resource lost to a logical-id collision fails here.

use std::path::PathBuf;

use vpce_tests::{check_path, render, repo_root, sorted_entries};

fn configurations() -> Vec<PathBuf> {
    let root = repo_root();
    let mut out: Vec<PathBuf> = Vec::new();
    for group in ["examples", "tests/realworld"] {
        let dir = root.join(group);
        if dir.is_dir() {
            out.extend(sorted_entries(&dir).into_iter().filter(|p| p.is_dir()));
        }
    }
    for fixture in sorted_entries(&root.join("tests/fixtures")) {
        let pass = fixture.join("pass.hcl");
        if pass.is_file() {
            out.push(pass);
        }
    }
    out
}

#[test]
fn the_template_holds_exactly_the_resources_the_plan_lists() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in configurations() {
        let outcome = check_path(&path);
        if outcome.has_errors() {
            // The corpus and examples are held clean by their own tests.
            continue;
        }
        let build = match vpce_emit_cfn::build(
            &outcome.valid_model().expect("no errors"),
            &Default::default(),
        ) {
            Ok(build) => build,
            Err(e) => {
                failures.push(format!("{}: does not build: {e}", path.display()));
                continue;
            }
        };
        let mut in_templates: Vec<String> = build
            .stacks
            .iter()
            .flat_map(|s| s.template["Resources"].as_object().unwrap().keys().cloned())
            .collect();
        let plan = vpce_emit_plan::plan(
            &outcome.valid_model().expect("no errors"),
            vpce_emit_plan::Previous::Nothing,
            &Default::default(),
        );
        let mut in_plan: Vec<String> = plan
            .resources
            .iter()
            .map(|r| r.logical_id.clone())
            .collect();
        in_templates.sort();
        in_plan.sort();
        if in_templates != in_plan {
            failures.push(format!(
                "{}: templates {} resources, plan {}\n  only in templates: {:?}\n  only in the plan: {:?}\n{}",
                path.display(),
                in_templates.len(),
                in_plan.len(),
                in_templates.iter().filter(|id| !in_plan.contains(id)).collect::<Vec<_>>(),
                in_plan.iter().filter(|id| !in_templates.contains(id)).collect::<Vec<_>>(),
                render(&outcome)
            ));
        }
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} configurations were compared");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The regression the rule V111 exists for: before it covered derived ids, this
/// configuration built a template with one resource fewer than the plan.
#[test]
fn a_name_spelling_a_derived_id_is_refused_before_anything_is_built() {
    let text = r#"region = "eu-west-1"
vpc "main" {
  cidr = "10.0.0.0/16"
}
route_table "private" {
  vpc = vpc.main
}
subnet "a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}
subnet "a_route_table_association" {
  vpc  = vpc.main
  az   = "euw1-az2"
  cidr = "10.0.2.0/24"
}
"#;
    let outcome = vpce_driver::check_text(text);
    let codes: Vec<&str> = outcome
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert!(codes.contains(&"V111"), "{codes:?}");
    assert!(outcome.has_errors());
}
