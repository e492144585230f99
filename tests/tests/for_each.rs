//! `for_each`: an instance behaves, in every output, exactly as a block named
//! `NAME_KEY` would; it is addressed `KIND.NAME["KEY"]`; adding a key adds one instance
//! and changes nothing else; misuse gives one diagnostic at the cause.

use vpce_tests::{plan_json, render};

const NETWORK: &str = r#"
region = "eu-west-1"

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}

route_table "private" {
  vpc = vpc.main
}

security_group "endpoints" {
  vpc = vpc.main
  ingress {
    protocol = "tcp"
    ports    = 443
    cidrs    = [vpc.main.cidr]
  }
}
"#;

const WITH_FOR_EACH: &str = r#"
locals {
  azs = { a = "euw1-az1", b = "euw1-az2" }
}

subnet "app" {
  for_each    = local.azs
  vpc         = vpc.main
  az          = each.value
  cidr        = cidrsubnet(vpc.main.cidr, 8, each.key == "a" ? 1 : 2)
  route_table = route_table.private
  tags        = { zone = each.key }
}

endpoint "aws" {
  for_each        = ["ssm", "ecr.api"]
  type            = "interface"
  service         = each.key
  vpc             = vpc.main
  subnets         = values(subnet.app)
  security_groups = [security_group.endpoints]
}
"#;

/// The same network written out: instances in key order, named `NAME_KEY`.
const WRITTEN_OUT: &str = r#"
subnet "app_a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
  tags        = { zone = "a" }
}

subnet "app_b" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.2.0/24"
  route_table = route_table.private
  tags        = { zone = "b" }
}

endpoint "aws_ecr_api" {
  type            = "interface"
  service         = "ecr.api"
  vpc             = vpc.main
  subnets         = [subnet.app_a, subnet.app_b]
  security_groups = [security_group.endpoints]
}

endpoint "aws_ssm" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.app_a, subnet.app_b]
  security_groups = [security_group.endpoints]
}
"#;

fn templates(text: &str) -> Vec<serde_json::Value> {
    let outcome = vpce_driver::check_text(text);
    assert!(!outcome.has_errors(), "{}", render(&outcome));
    let build = vpce_emit_cfn::build(
        &outcome.valid_model().expect("no errors"),
        &Default::default(),
    )
    .unwrap();
    build.stacks.into_iter().map(|s| s.template).collect()
}

fn with_for_each() -> String {
    format!("{NETWORK}{WITH_FOR_EACH}")
}

#[test]
fn instances_build_exactly_as_blocks_named_name_key() {
    let generated = templates(&with_for_each());
    let written = templates(&format!("{NETWORK}{WRITTEN_OUT}"));
    assert_eq!(
        serde_json::to_string_pretty(&generated).unwrap(),
        serde_json::to_string_pretty(&written).unwrap()
    );
    let resources = generated[0]["Resources"].as_object().unwrap();
    assert!(resources.contains_key("EndpointAwsEcrApi"));
    assert!(resources.contains_key("SubnetAppB"));
}

#[test]
fn adding_a_key_creates_one_instance_and_changes_nothing_else() {
    let old = tempfile::tempdir().unwrap();
    let new = tempfile::tempdir().unwrap();
    let text = with_for_each();
    std::fs::write(old.path().join("main.hcl"), &text).unwrap();
    let added = text.replace(r#"["ssm", "ecr.api"]"#, r#"["ssm", "ecr.api", "kms"]"#);
    assert_ne!(added, text);
    std::fs::write(new.path().join("main.hcl"), added).unwrap();
    let plan = plan_json(new.path(), Some(old.path()));
    assert_eq!(
        vpce_tests::changed_resources(&plan),
        [(r#"endpoint.aws["kms"]"#.to_string(), "create".to_string())]
    );
    let addresses: Vec<&str> = plan["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert!(addresses.contains(&r#"subnet.app["a"].route_table_association"#));
}

#[test]
fn misuse_gives_one_diagnostic_at_its_cause() {
    let text = format!(
        "{NETWORK}{}",
        r#"
subnet "app" {
  for_each    = { a = "euw1-az1", b = "euw1-az2" }
  vpc         = vpc.main
  az          = each.value
  cidr        = cidrsubnet(vpc.main.cidr, 8, each.key == "a" ? 1 : 2)
  route_table = route_table.private
}

# `each` outside an instance.
subnet "single" {
  vpc         = vpc.main
  az          = each.key
  cidr        = "10.0.9.0/24"
  route_table = route_table.private
}

# The map of instances has no attributes; an instance needs an existing key.
endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
  tags         = { first = subnet.app.cidr, other = subnet.app["c"].cidr }
}

# Keys that depend on the block's own instances.
route_table "loop" {
  for_each = route_table.loop
  vpc      = vpc.main
}

# Two keys that give one name.
security_group "tier" {
  for_each = ["web.a", "web-a"]
  vpc      = vpc.main
}
"#
    );
    let outcome = vpce_driver::check_text(&text);
    insta::assert_snapshot!(render(&outcome));
}

/// As in Terraform, `null` leaves an attribute unset, so the entries of one `for_each`
/// map can differ in what they set.
#[test]
fn null_leaves_an_attribute_unset() {
    let text = r#"
region = "eu-west-1"

vpc "main" {
  cidr = "10.0.0.0/16"
}

route_table "private" {
  vpc = vpc.main
}

endpoint "this" {
  for_each = {
    s3       = { policy = null }
    dynamodb = { policy = { Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "*", Action = "dynamodb:*", Resource = "*" }] } }
  }
  type         = "gateway"
  service      = each.key
  vpc          = vpc.main
  route_tables = [route_table.private]
  policy       = each.value.policy
}
"#;
    let outcome = vpce_driver::check_text(text);
    assert!(!outcome.has_errors(), "{}", render(&outcome));
    let policies: Vec<(&str, bool)> = outcome
        .model
        .endpoints
        .iter()
        .map(|(_, e)| (e.common.name.as_str(), e.policy.is_some()))
        .collect();
    assert_eq!(policies, [("this_dynamodb", true), ("this_s3", false)]);
}

/// Findings name an instance as the configuration writes it (`vpc.spoke["a"]`,
/// endpoint `ssm["a"]`), never by the name its ids and tags use (`spoke_a`).
#[test]
fn findings_name_instances_by_their_address() {
    let text = r#"
region = "eu-west-1"

vpc "spoke" {
  for_each = { a = "10.0.0.0/16", b = "10.1.0.0/16" }
  cidr     = each.value
}

subnet "one" {
  for_each = vpc.spoke
  vpc      = each.value
  az       = "euw1-az1"
  cidr     = cidrsubnet(each.value.cidr, 8, 1)
}

security_group "ep" {
  for_each = vpc.spoke
  vpc      = each.value
}

endpoint "ssm" {
  for_each        = vpc.spoke
  type            = "interface"
  service         = "ssm"
  vpc             = each.value
  subnets         = [subnet.one[each.key]]
  security_groups = [security_group.ep[each.key]]
}
"#;
    let outcome = vpce_driver::check_text(text);
    let rendered = render(&outcome);
    for expected in [
        r#"private DNS on endpoint `ssm["a"]` needs `dns_hostnames` on `vpc.spoke["a"]`"#,
        r#"false` on `endpoint.ssm["b"]`"#,
        r#"only `subnet.one["a"]`, in `euw1-az1`"#,
        r#"`security_group.ep["b"]` admits no TCP 443"#,
    ] {
        assert!(
            rendered.contains(expected),
            "missing {expected:?} in:\n{rendered}"
        );
    }
    for joined in ["spoke_a", "ssm_b", "one_a", "ep_b"] {
        assert!(!rendered.contains(joined), "{joined:?} in:\n{rendered}");
    }
}
