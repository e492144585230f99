//! Attributes known only after deployment and `output` blocks: the template reads them
//! with `Ref`/`Fn::GetAtt`/`Fn::Join`, the plan shows their simulated values, and no
//! input can forge one.

use serde_json::json;
use vpce_tests::{check_path, render, repo_root};

fn fixture() -> std::path::PathBuf {
    repo_root().join("tests/fixtures/V118-known-after-deploy/pass.hcl")
}

#[test]
fn the_template_reads_them_where_they_are_used() {
    let outcome = check_path(&fixture());
    assert!(!outcome.has_errors(), "{}", render(&outcome));
    let build = vpce_emit_cfn::build(
        &outcome.valid_model().expect("no errors"),
        &Default::default(),
    )
    .unwrap();
    let template = &build.stacks[0].template;
    let resources = &template["Resources"];
    let tags = resources["RouteTablePrivate"]["Properties"]["Tags"]
        .as_array()
        .unwrap();
    assert!(tags.contains(&json!({
        "Key": "vpc",
        "Value": {"Fn::Join": ["", ["route table of ", {"Ref": "VpcMain"}]]}
    })));
    assert_eq!(
        resources["EndpointS3"]["Properties"]["PolicyDocument"]["Statement"][0]["Condition"],
        json!({"StringEquals": {"aws:SourceVpc": {"Ref": "VpcMain"}}})
    );
    assert_eq!(
        template["Outputs"]["OutputSecretsDns"],
        json!({
            "Description": "Regional and zonal DNS names of the Secrets Manager endpoint",
            "Value": {"Fn::Join": [",", {"Fn::GetAtt": ["EndpointSecrets", "DnsEntries"]}]},
            "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-secrets_dns"}}
        })
    );
    assert_eq!(
        template["Outputs"]["OutputVpcId"],
        json!({"Value": {"Ref": "VpcMain"}})
    );
}

#[test]
fn the_plan_shows_simulated_values() {
    let outcome = check_path(&fixture());
    let plan = vpce_emit_plan::plan(
        &outcome.valid_model().expect("no errors"),
        vpce_emit_plan::Previous::Nothing,
        &Default::default(),
    );
    let vpc_id = &plan.simulation.resource("vpc.main").unwrap().id;
    let secrets = plan.simulation.resource("endpoint.secrets").unwrap();
    let dns: Vec<&str> = secrets
        .attributes
        .dns_names
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let outputs: Vec<(&str, &str)> = plan
        .outputs
        .iter()
        .map(|o| (o.name.as_str(), o.value.as_str()))
        .collect();
    assert_eq!(
        outputs,
        [
            ("secrets_dns", dns.join(",").as_str()),
            ("vpc_id", vpc_id.as_str())
        ]
    );
    assert!(vpc_id.starts_with("vpc-"));
    assert!(dns.len() >= 3, "a regional name and one per AZ: {dns:?}");
}

#[test]
fn the_marker_characters_are_refused_in_input() {
    let text = "region = \"eu-west-1\"\nvpc \"main\" {\n  cidr = \"10.0.0.0/16\"\n  tags = { x = \"\u{E000}vpc:0:id\u{E001}\" }\n}\n";
    let rendered = refused(text);
    assert!(rendered.contains("reserves"), "{rendered}");
}

/// The diagnostics of a configuration that must have errors.
fn refused(text: &str) -> String {
    let outcome = vpce_driver::check_text(text);
    let rendered = render(&outcome);
    assert!(outcome.has_errors(), "{rendered}");
    rendered
}

#[test]
fn an_output_of_a_map_is_refused_with_what_to_write_instead() {
    // Terraform outputs maps (`{ for k, v in module.x : k => v.id }`); vpce's outputs
    // are one value or a list, and the message must not call both "an object".
    let text = "region = \"eu-west-1\"\nvpc \"main\" {\n  cidr = \"10.0.0.0/16\"\n}\noutput \"vpcs\" {\n  value = { main = vpc.main }\n}\n";
    let rendered = refused(text);
    assert!(
        rendered.contains("a reference or a list of them, found an object"),
        "{rendered}"
    );
    assert!(rendered.contains("`values(...)`"), "{rendered}");
    assert!(!rendered.contains("an object or a list"), "{rendered}");
}

#[test]
fn the_plan_diffs_them_as_the_template_writes_them() {
    // A policy conditioned on a VPC's id: the plan's property change holds the same
    // `Ref` as the template (and the VPC's simulated id is the VPC's), never the marker.
    let plan = vpce_tests::plan_json(&fixture(), None);
    let text = plan.to_string();
    assert!(
        !text.contains('\u{E000}') && !text.contains("\\ue000"),
        "a marker leaked into the plan"
    );
    let condition = plan["resources"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["changes"].as_array().unwrap())
        .find(|c| c["path"].as_str().unwrap().ends_with("/aws:SourceVpc"))
        .expect("the policy's condition is planned");
    assert_eq!(condition["after"], json!({"Ref": "VpcMain"}));
}
