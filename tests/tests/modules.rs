//! Modules: an object `OBJ` of `module "NAME"` builds exactly as a root block named
//! `NAME_OBJ` would; it is addressed `module.NAME.KIND.OBJ`; a diagnostic in a module
//! file points into it with a note naming the `module` block; calls that cannot be made
//! are V117 at their cause.

use std::path::Path;

use vpce_diagnostics::Code;
use vpce_tests::{check_path, render};

/// Writes `files` (path relative to the root, text) under a new temporary root.
fn config(files: &[(&str, &str)]) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = root.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

const NETWORK: &str = r#"region = "eu-west-1"

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}

route_table "private" {
  vpc = vpc.main
}

subnet "app_a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}

subnet "app_b" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.2.0/24"
  route_table = route_table.private
}
"#;

const CALL: &str = r#"
module "edge" {
  source   = "./modules/endpoints"
  vpc      = vpc.main
  subnets  = [subnet.app_a, subnet.app_b]
  services = ["ssm", "kms"]
}

endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
  tags         = { group = module.edge.group_id, zone = module.edge.zone }
}
"#;

const MODULE: &str = r#"variable "vpc" {}

variable "subnets" {
  type = list(any)
}

variable "services" {
  type = list(string)
}

variable "port" {
  type    = number
  default = 443
}

locals {
  https = var.port
}

security_group "endpoints" {
  vpc = var.vpc
  ingress {
    protocol = "tcp"
    ports    = local.https
    cidrs    = [var.vpc.cidr]
  }
}

endpoint "aws" {
  for_each        = var.services
  type            = "interface"
  service         = each.key
  vpc             = var.vpc
  subnets         = var.subnets
  security_groups = [security_group.endpoints]
}

output "group_id" {
  value = security_group.endpoints.id
}

output "zone" {
  value = var.subnets[0].az
}
"#;

/// The module written out in the root, objects named `edge_OBJ`.
const WRITTEN_OUT: &str = r#"
security_group "edge_endpoints" {
  vpc = vpc.main
  ingress {
    protocol = "tcp"
    ports    = 443
    cidrs    = [vpc.main.cidr]
  }
}

endpoint "edge_aws_kms" {
  type            = "interface"
  service         = "kms"
  vpc             = vpc.main
  subnets         = [subnet.app_a, subnet.app_b]
  security_groups = [security_group.edge_endpoints]
}

endpoint "edge_aws_ssm" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.app_a, subnet.app_b]
  security_groups = [security_group.edge_endpoints]
}

endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
  tags         = { group = security_group.edge_endpoints.id, zone = "euw1-az1" }
}
"#;

fn with_module() -> tempfile::TempDir {
    config(&[
        ("main.hcl", &format!("{NETWORK}{CALL}")),
        ("modules/endpoints/main.hcl", MODULE),
    ])
}

fn templates(outcome: &vpce_driver::Outcome) -> String {
    assert!(outcome.diagnostics.is_empty(), "{}", render(outcome));
    let build = vpce_emit_cfn::build(
        &outcome.valid_model().expect("no errors"),
        &Default::default(),
    )
    .unwrap();
    let templates: Vec<_> = build.stacks.into_iter().map(|s| s.template).collect();
    serde_json::to_string_pretty(&templates).unwrap()
}

#[test]
fn module_objects_build_exactly_as_root_blocks_named_name_obj() {
    let root = with_module();
    let generated = templates(&check_path(root.path()));
    let written = templates(&vpce_driver::check_text(&format!("{NETWORK}{WRITTEN_OUT}")));
    assert_eq!(generated, written);
    for id in [
        "SecurityGroupEdgeEndpoints",
        "EndpointEdgeAwsKms",
        "EndpointEdgeAwsSsm",
    ] {
        assert!(generated.contains(&format!("\"{id}\"")), "{id}");
    }
}

#[test]
fn plans_address_module_objects_as_module_name_kind_obj() {
    let addresses = plan_addresses(with_module().path());
    for address in [
        "module.edge.security_group.endpoints",
        r#"module.edge.endpoint.aws["kms"]"#,
        r#"module.edge.endpoint.aws["ssm"]"#,
        "endpoint.s3",
    ] {
        assert!(
            addresses.iter().any(|a| a == address),
            "{address} in {addresses:?}"
        );
    }
}

/// Errors inside a module point into its file, named from the root, with a note on
/// the `module` block; an object of the caller's scope is not visible inside.
#[test]
fn a_diagnostic_in_a_module_file_points_there_with_a_note() {
    let module = MODULE.replace(
        "vpc = var.vpc\n  ingress",
        "vpc  = var.vpc\n  tags = { network = vpc.main.cidr }\n  ingress",
    );
    assert_ne!(module, MODULE);
    let root = config(&[
        ("main.hcl", &format!("{NETWORK}{CALL}")),
        ("modules/endpoints/main.hcl", &module),
    ]);
    let outcome = check_path(root.path());
    insta::assert_snapshot!(render(&outcome));
    let [diagnostic] = outcome.diagnostics.as_slice() else {
        panic!("one diagnostic:\n{}", render(&outcome));
    };
    let span = diagnostic.primary_span().unwrap();
    assert_eq!(
        outcome.sources.get(span.file).name,
        "modules/endpoints/main.hcl"
    );
    assert_eq!(
        diagnostic.notes,
        ["in `module.edge`, instantiated by the `module` block at main.hcl:26:1"]
    );
}

/// `(file, line, code)` of every diagnostic, and its message.
fn reported(root: &Path) -> Vec<(String, usize, Code, String)> {
    let outcome = check_path(root);
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            let span = d.primary_span().unwrap();
            (
                outcome.sources.get(span.file).name.clone(),
                outcome.sources.line_col(span).line,
                d.code,
                d.message.clone(),
            )
        })
        .collect()
}

fn calling(source: &str) -> String {
    format!("{NETWORK}\nmodule \"m\" {{\n  source = \"{source}\"\n}}\n")
}

#[test]
fn a_source_outside_the_root_is_v117() {
    let root = config(&[("main.hcl", &calling("../outside"))]);
    assert_eq!(
        reported(root.path()),
        [(
            "main.hcl".into(),
            27,
            Code::InvalidModule,
            "the `source` of `module.m` leaves the configuration's directory".into()
        )]
    );
}

#[test]
fn a_missing_directory_is_v117() {
    let root = config(&[("main.hcl", &calling("./modules/nope"))]);
    let found = reported(root.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].2, Code::InvalidModule);
    assert!(found[0].3.contains("no such directory"), "{found:?}");
}

#[test]
fn a_cycle_of_modules_is_v117_at_the_call_that_closes_it() {
    let root = config(&[
        ("main.hcl", &calling("./modules/a")),
        (
            "modules/a/main.hcl",
            "module \"b\" {\n  source = \"../b\"\n}\n",
        ),
        (
            "modules/b/main.hcl",
            "module \"a\" {\n  source = \"../a\"\n}\n",
        ),
    ]);
    assert_eq!(
        reported(root.path()),
        [(
            "modules/b/main.hcl".into(),
            2,
            Code::InvalidModule,
            "`module.m.module.b.module.a` makes a cycle of modules: `modules/a` → `modules/b` → `modules/a`".into()
        )]
    );
}

#[test]
fn nine_calls_deep_is_v117() {
    let mut files = vec![("main.hcl".to_string(), calling("./modules/d1"))];
    for depth in 1..=9 {
        let next = format!(
            "module \"d{}\" {{\n  source = \"../d{}\"\n}}\n",
            depth + 1,
            depth + 1
        );
        let text = if depth < 9 { next } else { String::new() };
        files.push((format!("modules/d{depth}/main.hcl"), text));
    }
    // Depth 8 is allowed: only the call from d8 to d9 is refused.
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let root = config(&files);
    let found = reported(root.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].2),
        ("modules/d8/main.hcl", Code::InvalidModule)
    );
    assert!(found[0]
        .3
        .contains("is 9 module calls deep, past vpce's limit of 8"));
}

#[test]
fn inputs_are_checked_against_the_modules_variables() {
    let root = config(&[
        (
            "main.hcl",
            &format!(
                "{NETWORK}\nmodule \"m\" {{\n  source  = \"./modules/m\"\n  vcp     = vpc.main\n}}\n"
            ),
        ),
        (
            "modules/m/main.hcl",
            "region = \"us-east-1\"\n\nvariable \"vpc\" {}\n\nroute_table \"t\" {\n  vpc = var.vpc\n}\n",
        ),
    ]);
    assert_eq!(
        reported(root.path()),
        [
            (
                "main.hcl".into(),
                26,
                Code::InvalidModule,
                "`module.m` needs the input `vpc`".into()
            ),
            (
                "main.hcl".into(),
                28,
                Code::InvalidModule,
                "`module.m` has no input `vcp`".into()
            ),
            (
                "modules/m/main.hcl".into(),
                1,
                Code::InvalidModule,
                "a module cannot set `region` (in `module.m`)".into()
            ),
        ]
    );
}

/// `module "spoke"` with `for_each` over two keys, and the same written as two `module`
/// blocks named `spoke_KEY`.
const SPOKES: &str = r#"
module "spoke" {
  for_each = { a = ["ssm", "kms"], b = ["logs"] }
  source   = "./modules/endpoints"
  vpc      = vpc.main
  subnets  = [subnet.app_a, subnet.app_b]
  services = each.value
}

output "groups" {
  value = [for key, spoke in module.spoke : spoke.group_id]
}

output "a_zone" {
  value = module.spoke["a"].zone
}
"#;

const SPOKES_WRITTEN_OUT: &str = r#"
module "spoke_a" {
  source   = "./modules/endpoints"
  vpc      = vpc.main
  subnets  = [subnet.app_a, subnet.app_b]
  services = ["ssm", "kms"]
}

module "spoke_b" {
  source   = "./modules/endpoints"
  vpc      = vpc.main
  subnets  = [subnet.app_a, subnet.app_b]
  services = ["logs"]
}

output "groups" {
  value = [module.spoke_a.group_id, module.spoke_b.group_id]
}

output "a_zone" {
  value = module.spoke_a.zone
}
"#;

fn with_spokes(calls: &str) -> tempfile::TempDir {
    config(&[
        ("main.hcl", &format!("{NETWORK}{calls}")),
        ("modules/endpoints/main.hcl", MODULE),
    ])
}

#[test]
fn a_module_with_for_each_builds_exactly_as_one_module_block_per_key() {
    let generated = templates(&check_path(with_spokes(SPOKES).path()));
    let written = templates(&check_path(with_spokes(SPOKES_WRITTEN_OUT).path()));
    assert_eq!(generated, written);
    for id in [
        "SecurityGroupSpokeAEndpoints",
        "EndpointSpokeAAwsKms",
        "EndpointSpokeBAwsLogs",
        "OutputGroups",
    ] {
        assert!(generated.contains(&format!("\"{id}\"")), "{id}");
    }
}

fn plan_addresses(root: &Path) -> Vec<String> {
    vpce_tests::plan_json(root, None)["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn module_instances_are_addressed_by_key_and_chain_through_nested_modules() {
    let root = with_spokes(SPOKES);
    let addresses = plan_addresses(root.path());
    for address in [
        r#"module.spoke["a"].security_group.endpoints"#,
        r#"module.spoke["a"].endpoint.aws["kms"]"#,
        r#"module.spoke["b"].endpoint.aws["logs"]"#,
    ] {
        assert!(
            addresses.iter().any(|a| a == address),
            "{address} in {addresses:?}"
        );
    }
    let nested = config(&[
        (
            "main.hcl",
            r#"region = "eu-west-1"

module "a" {
  for_each = toset(["x"])
  source   = "./modules/outer"
  second   = each.key == "x" ? "10.1.0.0/16" : "10.2.0.0/16"
}
"#,
        ),
        (
            "modules/outer/main.hcl",
            "variable \"second\" {}\n\nmodule \"b\" {\n  for_each = { y = var.second }\n  source   = \"../inner\"\n  cidr     = each.value\n}\n",
        ),
        (
            "modules/inner/main.hcl",
            "variable \"cidr\" {}\n\nvpc \"main\" {\n  cidr = var.cidr\n}\n",
        ),
    ]);
    assert_eq!(
        plan_addresses(nested.path()),
        [r#"module.a["x"].module.b["y"].vpc.main"#]
    );
    let built = templates(&check_path(nested.path()));
    assert!(built.contains("\"VpcAXBYMain\""), "{built}");
    assert!(built.contains("\"a_x_b_y_main\""), "{built}");
}

/// A mistake in a module's file is reported once, with a note on the `module` block
/// for each instance; one that concerns one instance names it and has its note only.
#[test]
fn a_diagnostic_in_a_module_instance_names_it_with_a_note() {
    let module = MODULE.replace(
        "  vpc = var.vpc\n  ingress",
        "  vpc   = var.vpc\n  bogus = 1\n  ingress",
    );
    assert_ne!(module, MODULE);
    // Instance "b" gets one subnet: its endpoint alone is in one AZ (V800).
    let calls = SPOKES.replace(
        "subnets  = [subnet.app_a, subnet.app_b]",
        "subnets  = each.key == \"a\" ? [subnet.app_a, subnet.app_b] : [subnet.app_a]",
    );
    assert_ne!(calls, SPOKES);
    let root = config(&[
        ("main.hcl", &format!("{NETWORK}{calls}")),
        ("modules/endpoints/main.hcl", &module),
    ]);
    let outcome = check_path(root.path());
    insta::assert_snapshot!(render(&outcome));
    let notes: Vec<(Code, Vec<String>)> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code,
                d.notes
                    .iter()
                    .filter(|n| n.starts_with("in `"))
                    .cloned()
                    .collect(),
            )
        })
        .collect();
    let note = |key: &str| {
        format!("in `module.spoke[\"{key}\"]`, instantiated by the `module` block at main.hcl:26:1")
    };
    assert_eq!(
        notes,
        [
            (Code::UnknownAttribute, vec![note("a"), note("b")]),
            (Code::SingleAzEndpoint, vec![note("b")]),
        ]
    );
}

/// The changed resources of a plan and its findings' codes and messages, for snapshots.
fn moves(plan: &serde_json::Value) -> String {
    let mut out = String::new();
    for resource in plan["resources"].as_array().unwrap() {
        if resource["action"] == "unchanged" {
            continue;
        }
        out.push_str(&format!(
            "{} {} moved_from={} moved_to={}\n  {}\n",
            resource["action"].as_str().unwrap(),
            resource["address"].as_str().unwrap(),
            resource["moved_from"],
            resource["moved_to"],
            resource["reasons"],
        ));
    }
    for finding in plan["findings"]["diagnostics"].as_array().unwrap() {
        out.push_str(&format!(
            "{} {}\n",
            finding["code"].as_str().unwrap(),
            finding["message"].as_str().unwrap()
        ));
        for note in finding["notes"].as_array().into_iter().flatten() {
            out.push_str(&format!("  note: {}\n", note.as_str().unwrap()));
        }
    }
    out
}

/// Renaming a module moves its objects: each deleted object is paired with the created
/// one at the same address inside the module, shown as a move (delete + create, since
/// the logical id changes), with V952 for the endpoint whose traffic is cut.
#[test]
fn renaming_a_module_plans_its_objects_as_moved() {
    // The module also gets a gateway endpoint, whose routes carry traffic (V952 when
    // deleted); the interface endpoints' private DNS collides with their twins' (V950).
    let module = format!(
        "{MODULE}\nvariable \"route_tables\" {{\n  type = list(any)\n}}\n\nendpoint \"dynamodb\" {{\n  type         = \"gateway\"\n  service      = \"dynamodb\"\n  vpc          = var.vpc\n  route_tables = var.route_tables\n}}\n"
    );
    let call = format!("{NETWORK}{CALL}").replace(
        "  services = [\"ssm\", \"kms\"]\n",
        "  services = [\"ssm\", \"kms\"]\n  route_tables = [route_table.private]\n",
    );
    let old = config(&[("main.hcl", &call), ("modules/endpoints/main.hcl", &module)]);
    let new = config(&[
        ("main.hcl", &call.replace("edge", "gateway")),
        ("modules/endpoints/main.hcl", &module),
    ]);
    let plan = vpce_tests::plan_json(new.path(), Some(old.path()));
    insta::assert_snapshot!(moves(&plan));
    let summary = &plan["summary"];
    assert_eq!(
        (summary["create"].as_u64(), summary["delete"].as_u64()),
        (Some(4), Some(4)),
        "{summary}"
    );
    let moved: Vec<_> = plan["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["moved_from"].as_str())
        .collect();
    assert_eq!(
        moved,
        [
            "module.edge.security_group.endpoints",
            r#"module.edge.endpoint.aws["kms"]"#,
            r#"module.edge.endpoint.aws["ssm"]"#,
            "module.edge.endpoint.dynamodb",
        ]
    );

    // Against the state `apply` recorded, the same moves.
    let state = tempfile::tempdir().unwrap();
    let state_file = state.path().join("vpce.state.json");
    let applied = std::process::Command::new(vpce_tests::tools::vpce_binary())
        .arg("apply")
        .arg(old.path())
        .arg("--state")
        .arg(&state_file)
        .output()
        .unwrap();
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    let output = std::process::Command::new(vpce_tests::tools::vpce_binary())
        .arg("plan")
        .arg(new.path())
        .arg("--state")
        .arg(&state_file)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let from_state: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(moves(&from_state), moves(&plan));

    // The twins' clash (V950/V951) says what to keep: the module instance, not a label.
    let text = plan.to_string();
    assert!(
        text.contains("keep the module instance `module.edge`"),
        "{text}"
    );
    assert!(!text.contains("keep the block label `module."), "{text}");
}

/// Renaming a `for_each` key of a module moves that instance's objects, as renaming a
/// module does; adding a key creates exactly that instance's objects.
#[test]
fn a_module_key_renamed_moves_its_instance_and_a_key_added_creates_one() {
    let old = with_spokes(SPOKES);
    let renamed = with_spokes(&SPOKES.replace("b = [\"logs\"]", "c = [\"logs\"]"));
    let plan = vpce_tests::plan_json(renamed.path(), Some(old.path()));
    let changed: Vec<(String, String, String)> = plan["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] != "unchanged")
        .map(|r| {
            let other = r["moved_from"]
                .as_str()
                .or(r["moved_to"].as_str())
                .unwrap_or("");
            (
                r["action"].as_str().unwrap().to_string(),
                r["address"].as_str().unwrap().to_string(),
                other.to_string(),
            )
        })
        .collect();
    let row = |action: &str, address: &str, other: &str| {
        (action.to_string(), address.to_string(), other.to_string())
    };
    assert_eq!(
        changed,
        [
            row(
                "create",
                r#"module.spoke["c"].security_group.endpoints"#,
                r#"module.spoke["b"].security_group.endpoints"#
            ),
            row(
                "create",
                r#"module.spoke["c"].endpoint.aws["logs"]"#,
                r#"module.spoke["b"].endpoint.aws["logs"]"#
            ),
            row(
                "delete",
                r#"module.spoke["b"].security_group.endpoints"#,
                r#"module.spoke["c"].security_group.endpoints"#
            ),
            row(
                "delete",
                r#"module.spoke["b"].endpoint.aws["logs"]"#,
                r#"module.spoke["c"].endpoint.aws["logs"]"#
            ),
        ]
    );

    let added = with_spokes(&SPOKES.replace("b = [\"logs\"]", "b = [\"logs\"], c = [\"sts\"]"));
    let plan = vpce_tests::plan_json(added.path(), Some(old.path()));
    let changed: Vec<(String, String)> = vpce_tests::changed_resources(&plan)
        .into_iter()
        .map(|(address, action)| (action, address))
        .collect();
    assert_eq!(
        changed,
        [
            (
                "create".to_string(),
                r#"module.spoke["c"].security_group.endpoints"#.to_string()
            ),
            (
                "create".to_string(),
                r#"module.spoke["c"].endpoint.aws["sts"]"#.to_string()
            ),
        ]
    );
}
