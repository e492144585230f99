//! `for` expressions, splats and collection functions end to end: a catalogue written
//! with them (`tests/expressions/catalogue.hcl`) checks clean and builds and plans
//! exactly as its twin with every value written out by hand; misuses are reported at
//! the expression that is wrong (a snapshot). `tests/cfn.rs` lints the catalogue's
//! templates with cfn-lint and deploys them on moto.

use std::path::PathBuf;

use vpce_driver::Outcome;
use vpce_emit_plan::render::{render_json, Report};
use vpce_tests::{check_path, render, repo_root};

fn input(name: &str) -> PathBuf {
    repo_root().join("tests/expressions").join(name)
}

fn clean(name: &str) -> Outcome {
    let outcome = check_path(&input(name));
    assert!(
        outcome.diagnostics.is_empty(),
        "{name}:\n{}",
        render(&outcome)
    );
    outcome
}

/// Every stack's template, in deployment order.
fn templates(outcome: &Outcome) -> Vec<serde_json::Value> {
    vpce_emit_cfn::build(
        &outcome.valid_model().expect("no errors"),
        &Default::default(),
    )
    .expect("the catalogue builds")
    .stacks
    .into_iter()
    .map(|stack| stack.template)
    .collect()
}

/// The plan against nothing, as `vpce plan --format json` prints it.
fn plan_json(outcome: &Outcome) -> String {
    let plan = vpce_emit_plan::plan(
        &outcome.valid_model().expect("no errors"),
        vpce_emit_plan::Previous::Nothing,
        &Default::default(),
    );
    render_json(&Report {
        plan: &plan,
        configuration: "catalogue",
        against: None,
        serial: None,
        diagnostics: &[],
        sources: &outcome.sources,
    })
}

#[test]
fn the_catalogue_builds_and_plans_as_its_hand_written_twin() {
    let computed = clean("catalogue.hcl");
    let written = clean("catalogue-expanded.hcl");
    let templates_computed = templates(&computed);
    assert_eq!(templates_computed, templates(&written));
    assert_eq!(plan_json(&computed), plan_json(&written));

    // What the expressions computed, as the template shows it.
    let resources = &templates_computed[0]["Resources"];
    let ingress = &resources["SecurityGroupEndpoints"]["Properties"]["SecurityGroupIngress"];
    let cidrs: Vec<&str> = ingress
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| rule["CidrIp"].as_str().unwrap())
        .collect();
    assert_eq!(cidrs, ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]);
    for (logical_id, service) in [
        ("EndpointEc2messages", "ec2messages"),
        ("EndpointSsm", "ssm"),
        ("EndpointSsmmessages", "ssmmessages"),
    ] {
        let endpoint = &resources[logical_id]["Properties"];
        assert_eq!(
            endpoint["ServiceName"]["Fn::Sub"],
            format!("com.amazonaws.${{AWS::Region}}.{service}"),
            "{logical_id}"
        );
        assert_eq!(
            endpoint["SubnetIds"].as_array().map(Vec::len),
            Some(3),
            "{logical_id}"
        );
    }
}

#[test]
fn misuse_is_reported_where_it_is_written() {
    let outcome = check_path(&input("misuse.hcl"));
    insta::assert_snapshot!("misuse", render(&outcome));
}
