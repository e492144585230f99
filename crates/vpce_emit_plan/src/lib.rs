//! The simulated deployment plan: what deploying a configuration would do, before
//! anything touches AWS.
//!
//! [`plan`] simulates a configuration (every CloudFormation resource of
//! `vpce_model::resources` with its body from `vpce_emit_cfn`, simulated ids, creation
//! waves, network interfaces with their private addresses, DNS names, prefix-list
//! routes, reachability, expectations and a monthly cost estimate) and compares it with
//! what was there before: a state recorded by `vpce apply` ([`Snapshot`]) or an older
//! configuration. Each resource is created, updated, replaced (naming the property that
//! forces it, from CloudFormation's update behaviour), deleted or unchanged; V950-V952
//! flag replacements that will collide or cut traffic.
//!
//! Architecture invariants: pure (no IO, no clock, no randomness: simulated ids are
//! hashes); runs only on models without errors; output order is the configuration's
//! (resources in `vpce_model::resources` order, deletions after them), never a hash
//! map's.

mod cost;
mod diff;
pub mod dns;
mod eni;
mod findings;
pub mod ids;
pub mod render;
mod simulate;
mod waves;

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use vpce_diagnostics::{Diagnostic, SourceMap};
use vpce_model::{Model, ValidModel};

pub use cost::{Cost, CostLine};
pub use diff::{create_only_properties, replacement_strategy};

/// The account simulated ids are derived from when the configuration sets none.
pub const DEFAULT_ACCOUNT: &str = "000000000000";

/// Hours in the month of the cost estimate (AWS's and infracost's convention).
pub const HOURS_PER_MONTH: u64 = 730;

/// What the plan is asked for besides the configuration.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// GB per month processed by each interface and gateway load balancer endpoint, for
    /// the data part of the cost estimate; `None` lists the per-GB rates only.
    pub traffic_gb: Option<u64>,
}

/// What the plan compares the configuration with. The plan keeps the older snapshot
/// (as [`Plan::previous`]), so the variants own it rather than have it copied.
#[derive(Clone, Debug)]
pub enum Previous<'a> {
    /// Nothing: every resource is created.
    Nothing,
    /// What `vpce apply` recorded.
    State(Snapshot),
    /// An older configuration (the pull-request case). Its spans are shifted by
    /// `file_offset` files so that one source map holds both configurations: see
    /// [`merge_sources`].
    Config {
        model: &'a ValidModel<'a>,
        file_offset: u32,
        /// The older configuration already simulated by [`simulate`] (which a caller
        /// can run beside other work); `None` simulates it here.
        simulated: Option<Snapshot>,
    },
}

/// A simulated deployment: what `vpce apply` records in the state file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Snapshot {
    /// The account the simulated ids are derived from.
    pub account: String,
    /// In the configuration's order.
    pub resources: Vec<SimResource>,
    /// Every source (subnets, remote networks) to every destination the configuration
    /// uses.
    pub reachability: Vec<ReachRow>,
}

impl Snapshot {
    pub fn resource(&self, address: &str) -> Option<&SimResource> {
        self.resources.iter().find(|r| r.address == address)
    }
}

/// One simulated CloudFormation resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SimResource {
    /// `endpoint.s3`; a part of an object adds a suffix: `subnet.app_a.route_table_association`,
    /// `route_table.app.route["0.0.0.0/0"]`, `nat_gateway.a.eip`.
    pub address: String,
    /// `AWS::EC2::VPCEndpoint`.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The resource's logical id in the CloudFormation template.
    pub logical_id: String,
    pub region: String,
    /// The simulated physical id (`vpce-` + 17 hex digits, an ARN for load balancers).
    pub id: String,
    /// How many times the resource has been replaced (part of the id's hash).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub generation: u32,
    /// The CloudFormation `Properties`, as the template holds them.
    pub properties: Value,
    /// What the simulation computed: addresses, DNS names, routes.
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Computed attributes of a simulated resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Attributes {
    /// A load balancer's ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The VPC an endpoint is in: its address (`vpc.main`), or its id when it is not
    /// created by this configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    /// The VPC's simulated or existing id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// An endpoint's full service name, or an endpoint service's own name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_interfaces: Vec<NetworkInterface>,
    /// An interface endpoint's regional and zonal DNS names; an endpoint service's base
    /// DNS name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_names: Vec<DnsName>,
    /// The private hosted zone records an interface endpoint with private DNS creates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_dns: Vec<PrivateDnsRecord>,
    /// A gateway endpoint's routes: the service's prefix list to the endpoint, in each
    /// of its route tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix_list_routes: Vec<PrefixListRoute>,
}

impl Attributes {
    pub fn is_empty(&self) -> bool {
        self == &Attributes::default()
    }
}

/// A network interface (ENI) and its private address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NetworkInterface {
    /// `eni-` + 17 hex digits.
    pub id: String,
    /// The subnet's address (`subnet.app_a`).
    pub subnet: String,
    pub subnet_id: String,
    /// As the subnet gives it (an AZ id such as `euw1-az1`, or a name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// The first free address of the subnet; `null` when the subnet has no IPv4 block
    /// known to the configuration or no free address left.
    pub private_ip: Option<String>,
}

/// A DNS name of an endpoint: regional, or zonal when `availability_zone` is set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DnsName {
    pub name: String,
    /// The AZ name of a zonal name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
}

/// An `A` record of the private hosted zone that private DNS creates in the VPC.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PrivateDnsRecord {
    pub name: String,
    /// The endpoint's private addresses.
    pub addresses: Vec<String>,
    /// The record answers only queries from a Route 53 Resolver inbound endpoint
    /// (`private_dns_only_for_inbound_resolver`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inbound_resolver_only: bool,
}

/// A route a gateway endpoint adds: its service's prefix list to the endpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PrefixListRoute {
    /// The route table's address, or its id when it is not in the configuration.
    pub route_table: String,
    pub route_table_id: String,
    /// `pl-` + 8 hex digits.
    pub destination: String,
    /// The endpoint's id.
    pub target: String,
}

/// Reachability of one destination from one source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReachRow {
    /// `subnet.app_a` or `remote_network.office`.
    pub from: String,
    /// `internet`, an AWS service's short name (`s3`), or `endpoint_service.api`.
    pub to: String,
    pub verdict: Verdict,
    /// What the request passes through, in order (endpoints, gateways).
    pub via: Vec<String>,
    /// Why, in words.
    pub reason: String,
    /// For `pending`: the command with which the owner of the endpoint service accepts
    /// the connection, with the simulated ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_with: Option<String>,
}

pub use vpce_reach::{Outcome, Verdict};

/// An `expect` block checked against the simulated network.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Expectation {
    pub name: String,
    pub from: String,
    pub to: String,
    /// Judged as `vpce check` judges it (V900-V903): `failed` is an error there,
    /// `warning` a warning, and `unknown` a note (the path could not be followed).
    pub outcome: Outcome,
    /// The path's verdict.
    pub verdict: Verdict,
    pub message: String,
}

/// What happens to a resource.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Replace,
    Delete,
    Unchanged,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Replace => "replace",
            Action::Delete => "delete",
            Action::Unchanged => "unchanged",
        }
    }
}

/// The order of a replacement (CloudFormation's `replacementStrategy`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// CloudFormation's default: the new resource is created, then the old one deleted.
    CreateThenDelete,
    /// The old resource is deleted first (`AWS::EC2::SubnetRouteTableAssociation`).
    DeleteThenCreate,
}

/// One property that changes.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Change {
    /// A JSON pointer into the resource's `Properties` (`/PolicyDocument/Statement/0/Action`).
    pub path: String,
    /// `null` when the property is added.
    pub before: Option<Value>,
    /// `null` when the property is removed.
    pub after: Option<Value>,
    /// CloudFormation cannot update this property in place.
    pub forces_replacement: bool,
    /// Set when the written value stays the same but what it refers to is replaced, so
    /// the value is known only after apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known_after_apply: Option<String>,
}

/// The plan for one resource.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceChange {
    pub address: String,
    pub resource_type: String,
    pub logical_id: String,
    pub action: Action,
    /// For replacements.
    pub strategy: Option<Strategy>,
    /// The id after the change (`None` when deleted).
    pub id: Option<String>,
    /// The id before (`None` when created).
    pub previous_id: Option<String>,
    /// The properties that differ, for an update or a replacement; empty for a created
    /// or deleted resource (nothing to diff against: its properties are the
    /// simulation's, and the JSON plan lists them all).
    pub changes: Vec<Change>,
    /// Why, in words: "`ServiceName` changed: forces replacement".
    pub reasons: Vec<String>,
    /// Index into the plan's `simulation.resources` (`None` when deleted).
    pub new: Option<usize>,
    /// Index into the previous snapshot's resources (`None` when created).
    pub old: Option<usize>,
    /// A created resource that takes the place of a deleted one moved with its module
    /// (renamed, or its `for_each` key): the deleted one's address; for the deleted one,
    /// the created one's.
    pub moved: Option<String>,
}

/// Resources that can be created (or changed) together, after the previous waves.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Wave {
    /// From 1.
    pub wave: usize,
    /// Addresses.
    pub resources: Vec<String>,
}

/// What was compared with.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Against {
    Nothing,
    State,
    Configuration,
}

/// Counts by action.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PlanSummary {
    pub create: usize,
    pub update: usize,
    pub replace: usize,
    pub delete: usize,
    pub unchanged: usize,
}

impl PlanSummary {
    pub fn has_changes(&self) -> bool {
        self.create + self.update + self.replace + self.delete > 0
    }
}

/// The result of [`plan`].
#[derive(Clone, Debug)]
pub struct Plan {
    pub against: Against,
    /// A Mermaid diagram of the configuration with the objects whose resources change
    /// coloured by what happens to them; `None` when nothing is created or changed.
    pub diagram: Option<String>,
    /// The configuration's `output` blocks, with simulated values.
    pub outputs: Vec<PlanOutputValue>,
    /// The new simulation: what `apply` records.
    pub simulation: Snapshot,
    /// What was compared with, simulated.
    pub previous: Option<Snapshot>,
    /// The configuration's resources in order, then deletions in the previous order.
    pub resources: Vec<ResourceChange>,
    /// The creation waves of what is created, updated or replaced (unchanged resources
    /// already exist); deletions happen after the last wave.
    pub waves: Vec<Wave>,
    pub expectations: Vec<Expectation>,
    pub cost: Cost,
    pub previous_cost: Option<Cost>,
    /// V950-V952, sorted by place.
    pub diagnostics: Vec<Diagnostic>,
}

impl Plan {
    pub fn summary(&self) -> PlanSummary {
        let mut summary = PlanSummary::default();
        for resource in &self.resources {
            match resource.action {
                Action::Create => summary.create += 1,
                Action::Update => summary.update += 1,
                Action::Replace => summary.replace += 1,
                Action::Delete => summary.delete += 1,
                Action::Unchanged => summary.unchanged += 1,
            }
        }
        summary
    }
}

/// Plans `model` (a configuration without errors) against `previous`.
pub fn plan(model: &ValidModel, previous: Previous<'_>, options: &Options) -> Plan {
    let (against, old_snapshot, old_model) = match previous {
        Previous::Nothing => (Against::Nothing, None, None),
        Previous::State(snapshot) => (Against::State, Some(snapshot), None),
        Previous::Config {
            model: old,
            file_offset,
            simulated,
        } => (
            Against::Configuration,
            Some(simulated.unwrap_or_else(|| simulate(old))),
            Some((old.model(), file_offset)),
        ),
    };
    let sim = simulate::simulate(model, old_snapshot.as_ref(), true);
    let resources = sim.changes;
    let waves = waves::changed_waves(&sim.levels, &sim.deps, &resources, &sim.snapshot);
    let cost = cost::estimate(&sim.snapshot.resources, options.traffic_gb);
    let previous_cost = old_snapshot
        .as_ref()
        .map(|old| cost::estimate(&old.resources, options.traffic_gb));
    let diagnostics = findings::findings(&findings::Context {
        model,
        objects: findings::Objects::of(model),
        old_objects: old_model.map(|(old, offset)| (findings::Objects::of(old), offset)),
        new: &sim.snapshot,
        old: old_snapshot.as_ref(),
        resources: &resources,
    });
    let outputs = outputs(model, &sim.snapshot);
    let diagram = change_diagram(model, &resources, &sim.owners);
    Plan {
        against,
        outputs,
        diagram,
        simulation: sim.snapshot,
        previous: old_snapshot,
        resources,
        waves,
        expectations: sim.expectations,
        cost,
        previous_cost,
        diagnostics,
    }
}

/// The topology with each object marked by the strongest change among its resources
/// (replace, then update, then create). `owners` is the object of each resource of the
/// new simulation, from the one mapping the template and the plan share (never by
/// taking addresses apart).
fn change_diagram(
    model: &Model,
    resources: &[ResourceChange],
    owners: &[vpce_model::ObjRef],
) -> Option<String> {
    use vpce_graph::Mark;
    // In the order objects are first met, as the diagram lists them.
    let mut marks: indexmap::IndexMap<vpce_model::ObjRef, Mark> = indexmap::IndexMap::new();
    for resource in resources {
        let mark = match resource.action {
            Action::Create => Mark::Create,
            Action::Update => Mark::Update,
            Action::Replace => Mark::Replace,
            Action::Delete | Action::Unchanged => continue,
        };
        let Some(&obj) = resource.new.and_then(|new| owners.get(new)) else {
            continue;
        };
        let existing = marks.entry(obj).or_insert(mark);
        if rank(mark) > rank(*existing) {
            *existing = mark;
        }
    }
    fn rank(mark: Mark) -> u8 {
        match mark {
            Mark::Create => 0,
            Mark::Update => 1,
            Mark::Replace => 2,
        }
    }
    if marks.is_empty() {
        return None;
    }
    let marks: Vec<(String, Mark)> = marks
        .into_iter()
        .map(|(obj, mark)| (vpce_graph::node_id(obj), mark))
        .collect();
    Some(vpce_graph::mermaid(&vpce_graph::topology(model), &marks))
}

/// The configuration's `output` blocks with simulated values.
fn outputs(model: &Model, snapshot: &Snapshot) -> Vec<PlanOutputValue> {
    use vpce_model::deployed::{substitute, DeployedAttr};
    if model.outputs.is_empty() {
        return Vec::new();
    }
    // Found by address once: an output over a `for_each` names every instance.
    let mut by_address: HashMap<&str, &SimResource> = HashMap::new();
    for resource in &snapshot.resources {
        by_address.entry(&resource.address).or_insert(resource);
    }
    model
        .outputs
        .iter()
        .map(|output| {
            let value = substitute(&output.value, |obj, attr| {
                let Some(resource) = by_address.get(model.address(obj).as_str()) else {
                    return String::new();
                };
                let attributes = &resource.attributes;
                match attr {
                    DeployedAttr::Id => resource.id.clone(),
                    DeployedAttr::Arn => attributes
                        .arn
                        .clone()
                        .unwrap_or_else(|| resource.id.clone()),
                    DeployedAttr::DnsNames => attributes
                        .dns_names
                        .iter()
                        .map(|d| d.name.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    DeployedAttr::NetworkInterfaceIds => attributes
                        .network_interfaces
                        .iter()
                        .map(|n| n.id.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    DeployedAttr::ServiceName => {
                        attributes.service_name.clone().unwrap_or_default()
                    }
                }
            });
            PlanOutputValue {
                name: output.name.clone(),
                value,
                description: output.description.clone(),
                export: output.export,
            }
        })
        .collect()
}

/// An `output` block's simulated value.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct PlanOutputValue {
    pub name: String,
    /// What CloudFormation would show: lists joined with `,`; an endpoint's DNS names
    /// without their hosted zone ids.
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Exported as `STACK-NAME`.
    pub export: bool,
}

/// Simulates a configuration on its own (every resource created).
pub fn simulate(model: &ValidModel) -> Snapshot {
    simulate::simulate(model, None, false).snapshot
}

/// One source map holding the new configuration's files, then the old one's: pass the
/// returned offset as [`Previous::Config`]'s `file_offset`.
pub fn merge_sources(new: &SourceMap, old: &SourceMap) -> (SourceMap, u32) {
    let mut merged = new.clone();
    let offset = u32::try_from(new.files().count()).expect("fewer than 2^32 files");
    for (_, file) in old.files() {
        merged.push(file.clone());
    }
    (merged, offset)
}
