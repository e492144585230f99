//! The plan on real configurations: simulation, every action from a state and from an
//! older configuration, replacement cascades, V950-V952, determinism.

use vpce_diagnostics::Code;
use vpce_driver::{check_text, Outcome};
use vpce_emit_plan::{
    merge_sources, plan, render, simulate, Action, Options, Plan, Previous, Strategy, Verdict,
};
use vpce_model::ValidModel;

const QUICKSTART: &str = include_str!("../../../examples/quickstart/main.hcl");
const NETWORK: &str = include_str!("data/network.hcl");

fn checked(text: &str) -> Outcome {
    let outcome = check_text(text);
    assert!(
        !outcome.has_errors(),
        "the configuration has errors: {:#?}",
        outcome.diagnostics
    );
    outcome
}

/// The model of a configuration whose only errors are its expectations' findings
/// (V900-V903), which the plan judges itself and must show alike.
fn valid_but_for_expectations(outcome: &Outcome) -> ValidModel<'_> {
    let others: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| !d.code.as_str().starts_with("V90"))
        .cloned()
        .collect();
    ValidModel::new(&outcome.model, &others).expect("no errors but the expectations'")
}

fn fresh(text: &str) -> Plan {
    plan(
        &checked(text).valid_model().expect("no errors"),
        Previous::Nothing,
        &Options::default(),
    )
}

fn against_config(old: &str, new: &str) -> Plan {
    let (old, new) = (checked(old), checked(new));
    let (_, file_offset) = merge_sources(&new.sources, &old.sources);
    plan(
        &new.valid_model().expect("no errors"),
        Previous::Config {
            model: &old.valid_model().expect("no errors"),
            file_offset,
            simulated: None,
        },
        &Options::default(),
    )
}

fn against_state(old: &str, new: &str) -> Plan {
    let state = simulate(&checked(old).valid_model().expect("no errors"));
    plan(
        &checked(new).valid_model().expect("no errors"),
        Previous::State(state),
        &Options::default(),
    )
}

fn action(plan: &Plan, address: &str) -> Action {
    plan.resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("no `{address}` in the plan"))
        .action
}

fn resource<'p>(plan: &'p Plan, address: &str) -> &'p vpce_emit_plan::ResourceChange {
    plan.resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("no `{address}` in the plan"))
}

/// The plan's reachability row from `from` to `to`.
fn reach_row<'p>(plan: &'p Plan, from: &str, to: &str) -> &'p vpce_emit_plan::ReachRow {
    plan.simulation
        .reachability
        .iter()
        .find(|r| r.from == from && r.to == to)
        .unwrap_or_else(|| panic!("no row {from} -> {to}"))
}

fn codes(plan: &Plan) -> Vec<Code> {
    plan.diagnostics.iter().map(|d| d.code).collect()
}

fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` is not in the text");
    text.replacen(from, to, 1)
}

#[test]
fn a_fresh_plan_creates_everything_with_aws_shaped_ids() {
    let plan = fresh(QUICKSTART);
    assert!(plan.resources.iter().all(|r| r.action == Action::Create));
    assert_eq!(plan.summary().create, plan.simulation.resources.len());
    for (address, prefix) in [
        ("vpc.main", "vpc-"),
        ("subnet.app_a", "subnet-"),
        ("subnet.app_a.route_table_association", "rtbassoc-"),
        ("route_table.private", "rtb-"),
        ("security_group.endpoints", "sg-"),
        ("endpoint.s3", "vpce-"),
    ] {
        let id = resource(&plan, address).id.clone().unwrap();
        let hex = id.strip_prefix(prefix).unwrap_or_else(|| panic!("{id}"));
        assert_eq!(hex.len(), 17, "{id}");
        assert!(hex
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
    }
    // Deterministic: the same configuration, the same ids and bytes.
    let again = fresh(QUICKSTART);
    assert_eq!(plan.simulation, again.simulation);
    // The creation waves follow the references.
    let waves: Vec<Vec<&str>> = plan
        .waves
        .iter()
        .map(|w| w.resources.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(waves[0], ["vpc.main"]);
    assert!(waves[1].contains(&"subnet.app_a") && waves[1].contains(&"route_table.private"));
    assert!(waves[2].contains(&"endpoint.secrets"));
    assert!(waves[2].contains(&"subnet.app_a.route_table_association"));
    assert!(plan
        .expectations
        .iter()
        .all(|e| e.outcome == vpce_emit_plan::Outcome::Met));
}

#[test]
fn network_interfaces_take_the_first_free_address_and_never_collide() {
    let plan = fresh(NETWORK);
    let mut seen = std::collections::BTreeSet::new();
    let mut by_owner = std::collections::BTreeMap::new();
    for r in &plan.simulation.resources {
        for interface in &r.attributes.network_interfaces {
            let ip = interface.private_ip.clone().unwrap();
            assert!(seen.insert(ip.clone()), "{ip} given twice");
            by_owner
                .entry((r.address.clone(), interface.subnet.clone()))
                .or_insert(ip);
            assert!(interface.id.starts_with("eni-"));
        }
    }
    let at =
        |owner: &str, subnet: &str| by_owner[&(owner.to_string(), subnet.to_string())].as_str();
    // The NAT gateway's explicit address is skipped by the others.
    assert_eq!(at("nat_gateway.a", "subnet.public_a"), "10.0.0.5");
    assert_eq!(at("endpoint.ssm", "subnet.public_a"), "10.0.0.4");
    assert_eq!(at("endpoint.kms", "subnet.public_a"), "10.0.0.6");
    // Load balancers come before endpoints in resource order.
    assert_eq!(at("load_balancer.api", "subnet.app_b"), "10.0.2.4");
    assert_eq!(at("endpoint.ssm", "subnet.app_b"), "10.0.2.5");
    let lb = resource(&plan, "load_balancer.api").id.clone().unwrap();
    assert!(
        lb.starts_with("arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/"),
        "{lb}"
    );
}

#[test]
fn dns_names_private_dns_and_prefix_list_routes() {
    let plan = fresh(NETWORK);
    let ssm = plan.simulation.resource("endpoint.ssm").unwrap();
    let names: Vec<&str> = ssm
        .attributes
        .dns_names
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(names.len(), 3, "regional plus one per AZ: {names:?}");
    let regional = names[0];
    assert!(regional.starts_with(&format!("{}-", ssm.id)), "{regional}");
    assert!(regional.ends_with(".ssm.us-east-1.vpce.amazonaws.com"));
    assert!(names[1].ends_with(&format!(
        "-{}.ssm.us-east-1.vpce.amazonaws.com",
        ssm.attributes.dns_names[1]
            .availability_zone
            .as_deref()
            .unwrap()
    )));
    let record = &ssm.attributes.private_dns[0];
    assert_eq!(record.name, "ssm.us-east-1.amazonaws.com");
    assert_eq!(record.addresses, ["10.0.0.4", "10.0.2.5"]);

    let s3 = plan.simulation.resource("endpoint.s3").unwrap();
    let routes = &s3.attributes.prefix_list_routes;
    assert_eq!(routes.len(), 3);
    assert_eq!(routes[0].route_table, "route_table.private");
    assert!(routes[0].destination.starts_with("pl-") && routes[0].destination.len() == 11);
    assert_eq!(routes[0].target, s3.id);
    assert!(s3.attributes.dns_names.is_empty() && s3.attributes.private_dns.is_empty());
}

#[test]
fn reachability_has_every_verdict_and_expectations_hold() {
    let plan = fresh(NETWORK);
    let row = |from: &str, to: &str| reach_row(&plan, from, to);
    let public = row("subnet.public_a", "internet");
    assert_eq!(public.verdict, Verdict::Public);
    assert_eq!(public.via, ["internet_gateway.main"]);
    let nat = row("subnet.app_a", "internet");
    assert_eq!(nat.via, ["nat_gateway.a", "internet_gateway.main"]);
    let private = row("subnet.app_a", "ssm");
    assert_eq!(private.verdict, Verdict::Private);
    assert_eq!(private.via, ["endpoint.ssm"]);
    assert_eq!(row("subnet.app_a", "s3").via, ["endpoint.s3"]);
    let unreachable = row("subnet.isolated", "internet");
    assert_eq!(unreachable.verdict, Verdict::Unreachable);
    assert!(unreachable.via.is_empty() && !unreachable.reason.is_empty());
    assert_eq!(plan.expectations.len(), 3);
    assert!(
        plan.expectations
            .iter()
            .all(|e| e.outcome == vpce_emit_plan::Outcome::Met),
        "{:#?}",
        plan.expectations
    );
}

#[test]
fn failed_expectations_say_why() {
    // `check` reports these as V901/V902 errors; the plan's table says the same.
    let text = format!(
        "{NETWORK}\nexpect \"public_is_private\" {{\n  from    = subnet.app_a\n  to      = \"internet\"\n  private = true\n}}\nexpect \"isolated_is_cut_off\" {{\n  from      = subnet.isolated\n  to        = \"ssm\"\n  reachable = false\n}}\n"
    );
    let outcome = check_text(&text);
    let plan = plan(
        &valid_but_for_expectations(&outcome),
        Previous::Nothing,
        &Options::default(),
    );
    let failed: Vec<(&str, &str)> = plan
        .expectations
        .iter()
        .filter(|e| e.outcome == vpce_emit_plan::Outcome::Failed)
        .map(|e| (e.name.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(failed.len(), 2, "{failed:#?}");
    assert!(
        failed[0].1.ends_with("but `private = true`"),
        "{}",
        failed[0].1
    );
    assert!(
        failed[1].1.ends_with("but `reachable = false`"),
        "{}",
        failed[1].1
    );
}

/// The quickstart, changed the way a pull request might: the secrets endpoint moves to
/// another service (replace), `app_b` makes way for `app_c` (delete, create), and the S3
/// The quickstart as a pull request might change it: the secrets endpoint moves to
/// `ssm` (replace), `app_b` makes way for `app_c` (delete, create), the S3 policy goes
/// (update). One file, shared by the plan tests of both crates.
fn quickstart_changed() -> String {
    include_str!("data/quickstart-changed.hcl").to_string()
}

fn assert_every_action(plan: &Plan) {
    assert_eq!(action(plan, "vpc.main"), Action::Unchanged);
    assert_eq!(action(plan, "subnet.app_c"), Action::Create);
    assert_eq!(action(plan, "subnet.app_b"), Action::Delete);
    assert_eq!(
        action(plan, "subnet.app_b.route_table_association"),
        Action::Delete
    );
    let s3 = resource(plan, "endpoint.s3");
    assert_eq!(s3.action, Action::Update);
    assert_eq!(s3.reasons, ["`PolicyDocument` changed"]);
    assert!(s3
        .changes
        .iter()
        .any(|c| c.path == "/PolicyDocument/Statement/0/Action" && c.after.is_none()));
    assert_eq!(s3.id, s3.previous_id, "updated in place: same id");
    let secrets = resource(plan, "endpoint.secrets");
    assert_eq!(secrets.action, Action::Replace);
    assert_eq!(secrets.strategy, Some(Strategy::CreateThenDelete));
    assert_eq!(
        secrets.reasons,
        ["`ServiceName` changed: forces replacement"]
    );
    let forcing: Vec<&str> = secrets
        .changes
        .iter()
        .filter(|c| c.forces_replacement)
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(forcing, ["/ServiceName"]);
    assert_ne!(
        secrets.id, secrets.previous_id,
        "a replacement has a new id"
    );
    let summary = plan.summary();
    assert_eq!(
        (
            summary.create,
            summary.update,
            summary.replace,
            summary.delete
        ),
        (2, 1, 1, 2)
    );
    // The deleted subnet's paths through the replaced endpoint are listed (V952).
    assert_eq!(codes(plan), [Code::DestructiveChange]);
    let notes = &plan.diagnostics[0].notes;
    assert!(
        notes.iter().any(|n| n.starts_with("`subnet.app_a` reaches `secretsmanager` privately through `endpoint.secrets` before; afterwards not at all")),
        "{notes:#?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("`subnet.app_b` is gone")),
        "{notes:#?}"
    );
}

#[test]
fn every_action_against_an_older_configuration() {
    let plan = against_config(QUICKSTART, &quickstart_changed());
    assert_every_action(&plan);
    // The label points at the attribute that forces the replacement, in the new file.
    let span = plan.diagnostics[0].primary_span().unwrap();
    let new = check_text(&quickstart_changed());
    assert_eq!(new.sources.snippet(span), "service         = \"ssm\"");
}

#[test]
fn every_action_against_a_state() {
    let plan = against_state(QUICKSTART, &quickstart_changed());
    assert_every_action(&plan);
    // No change at all: everything unchanged, nothing to report.
    let same = against_state(QUICKSTART, QUICKSTART);
    assert!(same.resources.iter().all(|r| r.action == Action::Unchanged));
    assert!(same.waves.is_empty() && same.diagnostics.is_empty());
}

#[test]
fn replacements_cascade_through_references() {
    // A subnet moved to another AZ is replaced; its route table association refers to
    // it by a create-only property, so it is replaced too (deleted first); the endpoint
    // only updates its subnet list.
    let moved = edit(
        QUICKSTART,
        "az          = \"euw1-az1\"",
        "az          = \"euw1-az3\"",
    );
    let plan = against_state(QUICKSTART, &moved);
    let subnet = resource(&plan, "subnet.app_a");
    assert_eq!(subnet.action, Action::Replace);
    assert_eq!(
        subnet.reasons,
        ["`AvailabilityZoneId` changed: forces replacement"]
    );
    let association = resource(&plan, "subnet.app_a.route_table_association");
    assert_eq!(association.action, Action::Replace);
    assert_eq!(association.strategy, Some(Strategy::DeleteThenCreate));
    assert_eq!(
        association.reasons,
        ["`SubnetId` refers to `subnet.app_a`, which is replaced: forces replacement"]
    );
    let endpoint = resource(&plan, "endpoint.secrets");
    assert_eq!(endpoint.action, Action::Update);
    let change = &endpoint.changes[0];
    assert_eq!(change.path, "/SubnetIds");
    assert_eq!(change.known_after_apply.as_deref(), Some("subnet.app_a"));
    assert!(!change.forces_replacement);
    assert_eq!(action(&plan, "subnet.app_b"), Action::Unchanged);
    // The replaced subnet's interfaces move to new addresses in the new subnet.
    let interfaces = &plan
        .simulation
        .resource("endpoint.secrets")
        .unwrap()
        .attributes
        .network_interfaces;
    assert_eq!(interfaces[0].private_ip.as_deref(), Some("10.0.1.4"));

    // A security group whose description changes is replaced; the endpoint that uses it
    // is updated in place.
    let described = edit(
        QUICKSTART,
        "security_group \"endpoints\" {\n  vpc = vpc.main\n",
        "security_group \"endpoints\" {\n  vpc         = vpc.main\n  description = \"HTTPS to the endpoints\"\n",
    );
    let plan = against_config(QUICKSTART, &described);
    assert_eq!(action(&plan, "security_group.endpoints"), Action::Replace);
    assert_eq!(
        resource(&plan, "endpoint.secrets").reasons,
        ["`SecurityGroupIds` refers to `security_group.endpoints`, which is replaced"]
    );
}

#[test]
fn surviving_interfaces_keep_their_addresses_and_replacements_avoid_them() {
    // A new endpoint written before the existing one would take its addresses in a fresh
    // simulation; against the state, the existing interfaces keep theirs.
    let added = edit(
        QUICKSTART,
        "endpoint \"secrets\" {",
        "endpoint \"kms\" {\n  type            = \"interface\"\n  service         = \"kms\"\n  vpc             = vpc.main\n  subnets         = [subnet.app_a, subnet.app_b]\n  security_groups = [security_group.endpoints]\n}\n\nendpoint \"secrets\" {",
    );
    let ip = |plan: &Plan, address: &str| {
        plan.simulation
            .resource(address)
            .unwrap()
            .attributes
            .network_interfaces[0]
            .private_ip
            .clone()
            .unwrap()
    };
    assert_eq!(ip(&fresh(&added), "endpoint.kms"), "10.0.1.4");
    let plan = against_state(QUICKSTART, &added);
    assert_eq!(ip(&plan, "endpoint.secrets"), "10.0.1.4");
    assert_eq!(ip(&plan, "endpoint.kms"), "10.0.1.5");

    // A replaced endpoint is created while the old one still holds its addresses.
    let replaced = against_state(QUICKSTART, &quickstart_changed());
    assert_eq!(ip(&replaced, "endpoint.secrets"), "10.0.1.5");
}

#[test]
fn a_gateway_load_balancer_endpoint_is_replaced_when_its_subnet_changes() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/gwlb-inspection"
    );
    let mut text = String::new();
    for file in ["main.hcl", "security.hcl", "workload.hcl"] {
        text.push_str(&std::fs::read_to_string(format!("{dir}/{file}")).unwrap());
        text.push('\n');
    }
    let moved = edit(
        &text,
        "subnets = [subnet.inspection_a]",
        "subnets = [subnet.inspection_a2]",
    );
    let moved = format!(
        "{moved}\nsubnet \"inspection_a2\" {{\n  vpc         = vpc.workload\n  az          = \"euw1-az1\"\n  cidr        = \"10.10.0.32/28\"\n  route_table = route_table.inspection\n}}\n"
    );
    let plan = against_config(&text, &moved);
    let endpoint = resource(&plan, "endpoint.gwlbe_a");
    assert_eq!(endpoint.action, Action::Replace);
    assert_eq!(
        endpoint.reasons,
        ["`SubnetIds` changed: forces replacement"]
    );
    // Routes to it are updated to the new endpoint (VpcEndpointId is not create-only).
    let route = resource(&plan, "route_table.app_a.route[\"0.0.0.0/0\"]");
    assert_eq!(route.action, Action::Update);
    assert_eq!(codes(&plan), [Code::DestructiveChange]);
}

#[test]
fn v950_fires_when_a_private_dns_endpoint_is_replaced_in_place() {
    // `service_region` is create-only: the endpoint is replaced, same VPC, same name.
    let old = QUICKSTART;
    let new = edit(
        old,
        "service         = \"secretsmanager\"",
        "service         = \"secretsmanager\"\n  service_region  = \"eu-west-1\"",
    );
    for plan in [against_config(old, &new), against_state(old, &new)] {
        assert_eq!(action(&plan, "endpoint.secrets"), Action::Replace);
        assert_eq!(
            codes(&plan),
            [Code::ReplacementDnsConflict],
            "{:#?}",
            plan.diagnostics
        );
        assert!(plan.diagnostics[0].message.contains(
            "replacing `endpoint.secrets` will fail: the old `endpoint.secrets` still holds private DNS for `secretsmanager.eu-west-1.amazonaws.com` in `vpc.main`"
        ), "{}", plan.diagnostics[0].message);
    }
}

/// The finding points at the attribute of a `for_each` instance (found by its address,
/// `endpoint.secrets["primary"]`), as it does for a plain block.
#[test]
fn v950_points_at_the_instance_of_a_for_each_block() {
    let old = edit(
        QUICKSTART,
        "endpoint \"secrets\" {",
        "endpoint \"secrets\" {\n  for_each        = toset([\"primary\"])",
    );
    let new = edit(
        &old,
        "service         = \"secretsmanager\"",
        "service         = \"secretsmanager\"\n  service_region  = \"eu-west-1\"",
    );
    let plan = against_config(&old, &new);
    assert_eq!(
        action(&plan, "endpoint.secrets[\"primary\"]"),
        Action::Replace
    );
    assert_eq!(codes(&plan), [Code::ReplacementDnsConflict]);
    let label = &plan.diagnostics[0].labels[0];
    let at = &new[label.span.start as usize..label.span.end as usize];
    assert_eq!(
        at, "service_region  = \"eu-west-1\"",
        "{:#?}",
        plan.diagnostics[0]
    );
}

#[test]
fn v950_and_v951_fire_when_an_endpoint_is_renamed() {
    let renamed = edit(
        QUICKSTART,
        "endpoint \"secrets\"",
        "endpoint \"secrets_manager\"",
    );
    let plan = against_config(QUICKSTART, &renamed);
    assert_eq!(codes(&plan), [Code::ReplacementDnsConflict]);
    // Labelled at the new block, and at the old one in the old configuration.
    assert_eq!(plan.diagnostics[0].labels.len(), 2);
    assert_eq!(plan.diagnostics[0].labels[1].span.file.0, 1);

    let renamed = edit(QUICKSTART, "endpoint \"s3\"", "endpoint \"s3_gateway\"");
    let plan = against_state(QUICKSTART, &renamed);
    assert_eq!(codes(&plan), [Code::ReplacementRouteConflict]);
    assert!(plan.diagnostics[0]
        .message
        .contains("`endpoint.s3` still holds the route to `com.amazonaws.eu-west-1.s3` in `route_table.private`"));
    // A state has no source: the old endpoint is not labelled.
    assert_eq!(plan.diagnostics[0].labels.len(), 1);

    // Another VPC or another service: no conflict.
    let other = edit(
        QUICKSTART,
        "service         = \"secretsmanager\"",
        "service         = \"ssm\"",
    );
    assert!(!codes(&against_config(QUICKSTART, &other)).contains(&Code::ReplacementDnsConflict));
}

#[test]
fn v952_lists_what_a_deletion_cuts_off_and_ignores_unused_endpoints() {
    let start = QUICKSTART.find("endpoint \"secrets\"").unwrap();
    let end = start + QUICKSTART[start..].find("\n}\n").unwrap() + 3;
    let without = format!("{}{}", &QUICKSTART[..start], &QUICKSTART[end..]);
    let plan = against_config(QUICKSTART, &without);
    assert_eq!(action(&plan, "endpoint.secrets"), Action::Delete);
    assert_eq!(codes(&plan), [Code::DestructiveChange]);
    let diagnostic = &plan.diagnostics[0];
    assert_eq!(
        diagnostic.message,
        "deleting `endpoint.secrets` interrupts 2 paths that use it"
    );
    // Labelled in the old configuration (file 1 of the merged source map).
    assert_eq!(diagnostic.labels[0].span.file.0, 1);
    let plan = against_state(QUICKSTART, &without);
    assert!(
        plan.diagnostics[0].labels.is_empty(),
        "a state has no source"
    );

    // An endpoint whose security group admits nobody carries no traffic.
    let closed = edit(
        QUICKSTART,
        "  security_groups = [security_group.endpoints]\n",
        "",
    );
    let outcome = check_text(&closed);
    let closed_without = format!(
        "{}{}",
        &closed[..closed.find("endpoint \"secrets\"").unwrap()],
        ""
    );
    let old = simulate(&outcome.valid_model().expect("no errors"));
    let plan = plan_from_state(&old, &closed_without);
    assert_eq!(action(&plan, "endpoint.secrets"), Action::Delete);
    assert!(plan.diagnostics.is_empty(), "{:#?}", plan.diagnostics);
}

fn plan_from_state(state: &vpce_emit_plan::Snapshot, text: &str) -> Plan {
    let outcome = check_text(text);
    plan(
        &outcome.valid_model().expect("no errors"),
        Previous::State(state.clone()),
        &Options::default(),
    )
}

#[test]
fn cost_counts_interface_azs_and_the_previous_total() {
    let plan = against_state(QUICKSTART, &quickstart_changed());
    assert_eq!(plan.cost.monthly_total_usd, 14.6);
    assert_eq!(plan.previous_cost.as_ref().unwrap().monthly_total_usd, 14.6);
    let with_traffic = vpce_emit_plan::plan(
        &checked(QUICKSTART).valid_model().expect("no errors"),
        Previous::Nothing,
        &Options {
            traffic_gb: Some(100),
        },
    );
    assert_eq!(with_traffic.cost.monthly_data_usd, Some(1.0));
    assert_eq!(with_traffic.cost.monthly_total_usd, 15.6);
}

#[test]
fn json_output_is_byte_identical_across_runs() {
    let render = || {
        let plan = against_config(QUICKSTART, &quickstart_changed());
        let sources = vpce_diagnostics::SourceMap::new();
        render::render_json(&render::Report {
            plan: &plan,
            configuration: "new",
            against: Some("old"),
            serial: None,
            diagnostics: &[],
            sources: &sources,
        })
    };
    let first = render();
    assert_eq!(first, render());
    let json: serde_json::Value = serde_json::from_str(&first).unwrap();
    for key in ["resources", "waves", "reachability", "expectations", "cost"] {
        assert!(json.get(key).is_some(), "missing `{key}`");
    }
    let resource = &json["resources"][0];
    for key in [
        "address",
        "type",
        "logical_id",
        "action",
        "changes",
        "reasons",
    ] {
        assert!(resource.get(key).is_some(), "missing `{key}` in {resource}");
    }
}

#[test]
fn colour_only_when_asked() {
    let plan = against_config(QUICKSTART, &quickstart_changed());
    let sources = vpce_diagnostics::SourceMap::new();
    let report = render::Report {
        plan: &plan,
        configuration: "new",
        against: Some("old"),
        serial: None,
        diagnostics: &[],
        sources: &sources,
    };
    let plain = render::render_human(&report, &render::HumanOptions::default());
    assert!(!plain.contains('\x1b'));
    assert!(plain.ends_with("Plan: 2 to add, 1 to change, 1 to replace, 2 to destroy.\n"));
    let coloured = render::render_human(
        &report,
        &render::HumanOptions {
            color: true,
            ..render::HumanOptions::default()
        },
    );
    assert!(
        coloured.contains("\x1b[32m  +\x1b[0m subnet.app_c"),
        "{coloured}"
    );
    assert!(coloured.contains("\x1b[35m+/-\x1b[0m endpoint.secrets"));
    assert!(coloured.contains("\x1b[31m  -\x1b[0m subnet.app_b"));
    let markdown = render::render_markdown(&report);
    assert!(
        markdown.starts_with("### vpce plan: 2 to add, 1 to change, 1 to replace, 2 to destroy\n")
    );
    assert!(!markdown.contains('\x1b'));
}

#[test]
fn plans_say_pending_denied_unknown_the_routed_endpoint_and_no_route_back() {
    let outcome = check_text(include_str!("data/truth.hcl"));
    // Only the expectations fail (V900); V607 and V706 warn.
    let mut codes: Vec<Code> = outcome.diagnostics.iter().map(|d| d.code).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(
        codes,
        [
            Code::AcceptancePending,
            Code::PolicyDeniesAll,
            Code::ExpectUnreachable
        ],
        "{:#?}",
        outcome.diagnostics
    );
    let plan = plan(
        &valid_but_for_expectations(&outcome),
        Previous::Nothing,
        &Options::default(),
    );
    let row = |from: &str, to: &str| reach_row(&plan, from, to);
    let id = |address: &str| plan.simulation.resource(address).unwrap().id.clone();

    // Pending, naming who accepts and how, with the simulated ids; each subnet through
    // the endpoint its own route targets.
    for (subnet, endpoint) in [
        ("subnet.app_a", "endpoint.gwlbe_a"),
        ("subnet.app_b", "endpoint.gwlbe_b"),
    ] {
        for to in ["internet", "endpoint_service.inspection"] {
            let pending = row(subnet, to);
            assert_eq!(pending.verdict, Verdict::Pending, "{subnet} -> {to}");
            assert_eq!(pending.via, [endpoint], "{subnet} -> {to}");
            assert!(pending.reason.contains(
                "owner of `endpoint_service.inspection`, a service of this configuration"
            ));
            assert_eq!(
                pending.accept_with.as_deref(),
                Some(
                    format!(
                        "aws ec2 accept-vpc-endpoint-connections --service-id {} --vpc-endpoint-ids {}",
                        id("endpoint_service.inspection"),
                        id(endpoint)
                    )
                    .as_str()
                )
            );
        }
    }
    // Denied by the policy.
    let denied = row("subnet.app_b", "sqs");
    assert_eq!(denied.verdict, Verdict::Denied);
    assert_eq!(denied.via, ["endpoint.sqs"]);
    // Unknown, with the reason.
    let unknown = row("subnet.legacy", "internet");
    assert_eq!(unknown.verdict, Verdict::Unknown);
    assert!(unknown.reason.contains("route table is not described"));
    // No route back from the endpoint's subnets to the office.
    let office = row("remote_network.office", "ssm");
    assert_eq!(office.verdict, Verdict::Unreachable);
    assert!(
        office.reason.contains("no route back")
            && office.reason.contains("`subnet.app_a`, `subnet.app_b`"),
        "{}",
        office.reason
    );

    let outcomes: Vec<(&str, vpce_emit_plan::Outcome)> = plan
        .expectations
        .iter()
        .map(|e| (e.name.as_str(), e.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("app_a_reaches_internet", vpce_emit_plan::Outcome::Failed),
            ("app_b_reaches_sqs", vpce_emit_plan::Outcome::Failed),
            ("legacy_reaches_internet", vpce_emit_plan::Outcome::Unknown),
            ("office_reaches_ssm", vpce_emit_plan::Outcome::Failed),
        ]
    );

    let sources = vpce_diagnostics::SourceMap::new();
    let report = render::Report {
        plan: &plan,
        configuration: "truth.hcl",
        against: None,
        serial: None,
        diagnostics: &[],
        sources: &sources,
    };
    let human = render::render_human(&report, &render::HumanOptions::default());
    for shown in [
        "pending",
        "denied",
        "unknown",
        "Pending connections: the endpoint service's owner accepts them with",
        "??   legacy_reaches_internet: not judged",
    ] {
        assert!(human.contains(shown), "{shown}:\n{human}");
    }
    let markdown = render::render_markdown(&report);
    assert!(markdown.contains("- `aws ec2 accept-vpc-endpoint-connections --service-id"));
    assert!(markdown.contains("❔"));
}

/// The human plan of a generated configuration (10 endpoints in one VPC), listing at most
/// `rows_of_a_kind` rows of one kind.
fn generated_human_plan(rows_of_a_kind: Option<usize>) -> String {
    let plan = fresh(&vpce_driver::generate::configuration(10));
    let sources = vpce_diagnostics::SourceMap::new();
    let report = render::Report {
        plan: &plan,
        configuration: "generated",
        against: None,
        serial: None,
        diagnostics: &[],
        sources: &sources,
    };
    render::render_human(
        &report,
        &render::HumanOptions {
            rows_of_a_kind,
            ..render::HumanOptions::default()
        },
    )
}

#[test]
fn a_plan_past_the_threshold_lists_the_first_rows_of_each_kind_and_counts_the_rest() {
    let summarised = generated_human_plan(Some(2));
    let counted: Vec<&str> = summarised
        .lines()
        .filter(|line| line.contains('…') || line.contains("in all"))
        .collect();
    insta::assert_snapshot!(counted.join("\n"));
    // The first two endpoints are listed, the third is counted.
    assert!(summarised.contains("endpoint.v0_ssm "), "{summarised}");
    assert!(summarised.contains("endpoint.v0_ssmmessages "));
    assert!(!summarised.contains("endpoint.v0_ec2messages "));
    assert!(summarised.ends_with("Plan: 19 to add, 0 to change, 0 to replace, 0 to destroy.\n"));
}

#[test]
fn without_a_threshold_the_plan_lists_every_row() {
    let every = generated_human_plan(None);
    assert!(!every.contains('…'), "{every}");
    for service in ["ssm", "kms", "monitoring"] {
        let address = format!("endpoint.v0_{service}");
        // Its resource line, its three network interfaces, its DNS names, its cost line.
        assert!(
            every.matches(&format!("{address} ")).count() >= 5,
            "{address}: {every}"
        );
    }
    // Below the threshold nothing is left out: the default lists the same.
    assert_eq!(every, generated_human_plan(Some(render::ROWS_OF_A_KIND)));
}
