//! Splitting resources into stacks within CloudFormation's limits, joined by exports.
//!
//! Resources are grouped by the VPC they belong to and packed, in source order, into as
//! few stacks per region as the limits allow; a VPC is split only when it alone exceeds
//! a stack. References between stacks become `Fn::ImportValue` of an export the other
//! stack adds, and the stacks are ordered so every export exists before its import.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde_json::{json, Map, Value};
use vpce_model::{resources::Resource, Id, Kind, Model, ObjRef};

use crate::{Build, BuildOptions, Stack};

/// CloudFormation's per-template quotas.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct StackLimits {
    pub resources: usize,
    pub outputs: usize,
    /// Bytes of the template body as written (pretty JSON, the larger format).
    pub body_bytes: usize,
}

/// 500 resources, 200 outputs, 1 MB of template body (uploaded through S3).
pub const LIMITS: StackLimits = StackLimits {
    resources: 500,
    outputs: 200,
    body_bytes: 1_000_000,
};

type Emitted = IndexMap<String, (Resource, Value)>;
/// Resources (logical ids) and outputs (indices) of one cluster.
type Cluster = (Vec<String>, Vec<usize>);
type Outputs = Vec<(String, ObjRef, Value)>;

/// The VPC an object belongs to (its cluster), or `None` for objects outside any VPC.
fn home_vpc(model: &Model, obj: ObjRef) -> Option<usize> {
    let i = obj.index as usize;
    let vpc = match obj.kind {
        Kind::Vpc => return Some(i),
        Kind::Subnet => model.subnets[Id::new(i)].vpc,
        Kind::RouteTable => model.route_tables[Id::new(i)].vpc,
        Kind::InternetGateway => model.internet_gateways[Id::new(i)].vpc,
        Kind::NatGateway => model.nat_gateways[Id::new(i)]
            .subnet
            .and_then(|s| model.subnets[s].vpc),
        Kind::SecurityGroup => model.security_groups[Id::new(i)].vpc,
        Kind::LoadBalancer => {
            let lb = &model.load_balancers[Id::new(i)];
            lb.subnets.first().and_then(|s| model.subnets[s.value].vpc)
        }
        Kind::Endpoint => model.endpoints[Id::new(i)].vpc,
        Kind::EndpointService => {
            let service = &model.endpoint_services[Id::new(i)];
            return service
                .load_balancers
                .first()
                .and_then(|lb| home_vpc(model, lb.value.obj_ref()));
        }
        Kind::RemoteNetwork | Kind::Expect => None,
    };
    vpc.map(|v| v.index())
}

fn region_of(model: &Model, vpc: Option<usize>) -> String {
    vpc.and_then(|v| model.vpc_region(Id::new(v)))
        .or(model.region.as_ref())
        .map_or_else(|| "us-east-1".to_string(), |r| r.value.clone())
}

/// Logical ids a resource body refers to, with the attribute for `Fn::GetAtt`.
fn references(value: &Value, out: &mut BTreeSet<(String, Option<String>)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("Ref") {
                if !target.starts_with("AWS::") {
                    out.insert((target.clone(), None));
                }
            }
            if let Some(Value::Array(parts)) = map.get("Fn::GetAtt") {
                if let [Value::String(target), Value::String(attribute)] = parts.as_slice() {
                    out.insert((target.clone(), Some(attribute.clone())));
                }
            }
            map.values().for_each(|v| references(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

/// Replaces references to resources of other stacks with imports.
fn rewrite(value: &mut Value, home: &BTreeMap<&str, usize>, here: usize, names: &[String]) {
    match value {
        Value::Object(map) => {
            let target = match (map.get("Ref"), map.get("Fn::GetAtt")) {
                (Some(Value::String(t)), _) => Some((t.clone(), None)),
                (_, Some(Value::Array(parts))) => match parts.as_slice() {
                    [Value::String(t), Value::String(a)] => Some((t.clone(), Some(a.clone()))),
                    _ => None,
                },
                _ => None,
            };
            if let Some((target, attribute)) = target {
                if let Some(&stack) = home.get(target.as_str()).filter(|s| **s != here) {
                    let export = export_name(&names[stack], &target, attribute.as_deref());
                    *value = json!({"Fn::ImportValue": export});
                    return;
                }
            }
            map.values_mut().for_each(|v| rewrite(v, home, here, names));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, home, here, names)),
        _ => {}
    }
}

fn output_key(target: &str, attribute: Option<&str>) -> String {
    format!("{target}{}", attribute.unwrap_or("Ref"))
}

fn export_name(stack: &str, target: &str, attribute: Option<&str>) -> String {
    format!("{stack}-{}", output_key(target, attribute))
}

fn stack_name(prefix: &str, index: usize) -> String {
    if index == 0 {
        prefix.to_string()
    } else {
        format!("{prefix}-{}", index + 1)
    }
}

/// A stack being filled: its region and the resources and outputs assigned to it.
#[derive(Default)]
struct Bin {
    region: String,
    resources: Vec<String>,
    outputs: Vec<usize>,
    bytes: usize,
}

pub(crate) fn split(
    model: &Model,
    emitted: Emitted,
    outputs: Outputs,
    options: &BuildOptions,
) -> Build {
    // Budgets shrink when a packing leaves a stack over a limit once exports are added.
    let mut budget = options.limits;
    loop {
        if let Some(build) = try_split(model, &emitted, &outputs, options, budget) {
            return build;
        }
        budget.resources = budget.resources * 9 / 10;
        budget.outputs = budget.outputs * 9 / 10;
        budget.body_bytes = budget.body_bytes * 9 / 10;
        if budget.resources < 10 {
            // Cannot happen with CloudFormation's limits; keep one stack per region.
            return try_split(
                model,
                &emitted,
                &outputs,
                options,
                StackLimits {
                    resources: usize::MAX,
                    outputs: usize::MAX,
                    body_bytes: usize::MAX,
                },
            )
            .expect("unlimited stacks always fit");
        }
    }
}

fn try_split(
    model: &Model,
    emitted: &Emitted,
    outputs: &Outputs,
    options: &BuildOptions,
    budget: StackLimits,
) -> Option<Build> {
    // Clusters: (region, VPC) in source order of their first resource.
    let mut clusters: IndexMap<(String, Option<usize>), Cluster> = IndexMap::new();
    for (logical, (resource, _)) in emitted {
        let vpc = home_vpc(model, resource.owner);
        let key = (region_of(model, vpc), vpc);
        clusters.entry(key).or_default().0.push(logical.clone());
    }
    for (index, (_, owner, _)) in outputs.iter().enumerate() {
        let vpc = home_vpc(model, *owner);
        let key = (region_of(model, vpc), vpc);
        clusters.entry(key).or_default().1.push(index);
    }
    let size = |logical: &str| {
        serde_json::to_string_pretty(&emitted[logical].1).map_or(0, |s| s.len() + logical.len() + 8)
    };
    let output_size =
        |index: usize| serde_json::to_string_pretty(&outputs[index].2).map_or(0, |s| s.len() + 64);

    let mut bins: Vec<Bin> = Vec::new();
    let fits = |bin: &Bin, resources: usize, outs: usize, bytes: usize| {
        bin.resources.len() + resources <= budget.resources
            && bin.outputs.len() + outs <= budget.outputs
            && bin.bytes + bytes <= budget.body_bytes
    };
    for ((region, _), (resources, outs)) in &clusters {
        let bytes: usize = resources.iter().map(|r| size(r)).sum::<usize>()
            + outs.iter().map(|o| output_size(*o)).sum::<usize>();
        let current = bins.iter().rposition(|b| &b.region == region);
        let whole_fits =
            current.is_some_and(|i| fits(&bins[i], resources.len(), outs.len(), bytes));
        if whole_fits {
            let bin = &mut bins[current.expect("checked")];
            bin.resources.extend(resources.iter().cloned());
            bin.outputs.extend(outs.iter().copied());
            bin.bytes += bytes;
            continue;
        }
        // A new stack for this cluster; a cluster larger than a stack fills several.
        bins.push(Bin {
            region: region.clone(),
            ..Bin::default()
        });
        for logical in resources {
            let bytes = size(logical);
            if !fits(bins.last().expect("pushed"), 1, 0, bytes) {
                bins.push(Bin {
                    region: region.clone(),
                    ..Bin::default()
                });
            }
            let bin = bins.last_mut().expect("pushed");
            bin.resources.push(logical.clone());
            bin.bytes += bytes;
        }
        for &output in outs {
            // An output lives with the resource it reads.
            let owner = &outputs[output].1;
            let home = bins
                .iter()
                .rposition(|b| b.resources.iter().any(|r| emitted[r].0.owner == *owner))
                .unwrap_or(bins.len() - 1);
            bins[home].outputs.push(output);
            bins[home].bytes += output_size(output);
        }
    }
    if bins.is_empty() {
        bins.push(Bin {
            region: region_of(model, None),
            ..Bin::default()
        });
    }

    // Which stack holds each resource, and who imports what.
    let mut home: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, bin) in bins.iter().enumerate() {
        for logical in &bin.resources {
            home.insert(logical.as_str(), index);
        }
    }
    let mut depends: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); bins.len()];
    let mut exports: Vec<BTreeSet<(String, Option<String>)>> = vec![BTreeSet::new(); bins.len()];
    for (index, bin) in bins.iter().enumerate() {
        let mut refs = BTreeSet::new();
        for logical in &bin.resources {
            references(&emitted[logical].1, &mut refs);
        }
        for output in &bin.outputs {
            references(&outputs[*output].2, &mut refs);
        }
        for (target, attribute) in refs {
            if let Some(&stack) = home.get(target.as_str()).filter(|s| **s != index) {
                if bins[stack].region != bin.region {
                    // Imports do not cross regions; keep such configurations whole.
                    return None;
                }
                depends[index].insert(stack);
                exports[stack].insert((target, attribute));
            }
        }
    }
    let order = topological_order(&depends)?;
    // Names follow the deployment order.
    let mut names = vec![String::new(); bins.len()];
    for (position, &bin) in order.iter().enumerate() {
        names[bin] = stack_name(&options.stack_prefix, position);
    }

    let mut stacks = Vec::new();
    let total = bins.len();
    for (position, &index) in order.iter().enumerate() {
        let bin = &bins[index];
        let mut resources = Map::new();
        for logical in &bin.resources {
            let mut body = emitted[logical].1.clone();
            // DependsOn names only resources of the same template; stack order covers the rest.
            if let Some(Value::Array(list)) = body.get_mut("DependsOn") {
                list.retain(|d| d.as_str().is_some_and(|d| home.get(d) == Some(&index)));
                if list.is_empty() {
                    body.as_object_mut()
                        .expect("bodies are objects")
                        .remove("DependsOn");
                }
            }
            rewrite(&mut body, &home, index, &names);
            resources.insert(logical.clone(), body);
        }
        let mut outs = Map::new();
        for &output in &bin.outputs {
            let (name, _, value) = &outputs[output];
            let mut value = value.clone();
            rewrite(&mut value, &home, index, &names);
            outs.insert(name.clone(), value);
        }
        for (target, attribute) in &exports[index] {
            let key = output_key(target, attribute.as_deref());
            let value = match attribute {
                Some(attribute) => json!({"Fn::GetAtt": [target, attribute]}),
                None => json!({"Ref": target}),
            };
            outs.insert(
                key.clone(),
                json!({
                    "Description": format!("{target} for stacks that import it"),
                    "Value": value,
                    "Export": {"Name": {"Fn::Sub": format!("${{AWS::StackName}}-{key}")}},
                }),
            );
        }
        let description = if total == 1 {
            "AWS PrivateLink network, compiled by vpce".to_string()
        } else {
            format!(
                "AWS PrivateLink network, compiled by vpce (stack {} of {total})",
                position + 1
            )
        };
        let mut template = json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": description,
            "Resources": resources,
        });
        if !outs.is_empty() {
            template["Outputs"] = Value::Object(outs);
        }
        let stack = Stack {
            name: names[index].clone(),
            region: bin.region.clone(),
            template,
            depends_on: depends[index].iter().map(|d| names[*d].clone()).collect(),
        };
        let body = serde_json::to_string_pretty(&stack.template).map_or(usize::MAX, |s| s.len());
        if stack.resource_count() > LIMITS.resources.min(budget.resources.max(1))
            || stack.output_count() > LIMITS.outputs
            || body > LIMITS.body_bytes
        {
            return None;
        }
        stacks.push(stack);
    }
    Some(Build { stacks })
}

/// Kahn's algorithm, smallest index first, so the order is deterministic; `None` on a
/// cycle.
fn topological_order(depends: &[BTreeSet<usize>]) -> Option<Vec<usize>> {
    let mut remaining: Vec<BTreeSet<usize>> = depends.to_vec();
    let mut done = vec![false; depends.len()];
    let mut order = Vec::new();
    while order.len() < depends.len() {
        let next = (0..depends.len()).find(|i| !done[*i] && remaining[*i].is_empty())?;
        done[next] = true;
        order.push(next);
        for set in &mut remaining {
            set.remove(&next);
        }
    }
    Some(order)
}
