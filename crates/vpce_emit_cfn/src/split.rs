//! Splitting resources into stacks within CloudFormation's limits, joined by exports.
//!
//! Resources are grouped by the VPC they belong to and packed, in source order, into as
//! few stacks per region as the limits allow; a VPC is split only when it alone exceeds
//! a stack. A reference to another stack of the same region becomes `Fn::ImportValue` of
//! an export that stack adds. Exports are regional, so a reference to a stack of another
//! region becomes a stack `Parameter`, filled from that stack's output as the manifest
//! says. Stacks are ordered so every export and output exists before it is read, and
//! named after what they hold (`vpce-eu-west-1`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use indexmap::IndexMap;
use serde_json::{json, Map, Value};
use vpce_model::{resources::Resource, Id, Kind, Model, ObjRef};

use crate::{Build, BuildError, BuildOptions, Stack, StackParameter};

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

/// Replaces references to resources of other stacks with imports (same region) or
/// parameters (another region).
fn rewrite(
    value: &mut Value,
    home: &BTreeMap<&str, usize>,
    here: usize,
    bins: &[Bin],
    names: &[String],
) {
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
                    *value = if bins[stack].region == bins[here].region {
                        let export = export_name(&names[stack], &target, attribute.as_deref());
                        json!({"Fn::ImportValue": export})
                    } else {
                        json!({"Ref": parameter_name(&target, attribute.as_deref())})
                    };
                    return;
                }
            }
            map.values_mut()
                .for_each(|v| rewrite(v, home, here, bins, names));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| rewrite(v, home, here, bins, names)),
        _ => {}
    }
}

fn reference_value(target: &str, attribute: Option<&str>) -> Value {
    match attribute {
        Some(attribute) => json!({"Fn::GetAtt": [target, attribute]}),
        None => json!({"Ref": target}),
    }
}

fn output_key(target: &str, attribute: Option<&str>) -> String {
    format!("{target}{}", attribute.unwrap_or("Ref"))
}

fn export_name(stack: &str, target: &str, attribute: Option<&str>) -> String {
    format!("{stack}-{}", output_key(target, attribute))
}

/// The parameter that carries another region's output into a stack. Logical ids of
/// resources start with their kind's name, never with `Param`, so the two cannot meet.
fn parameter_name(target: &str, attribute: Option<&str>) -> String {
    format!("Param{}", output_key(target, attribute))
}

/// CloudFormation's longest stack name.
const MAX_STACK_NAME: usize = 128;

/// Stack names after what each stack holds: the prefix alone for a single stack;
/// `PREFIX-REGION` for a region's only stack; `PREFIX-REGION-VPC` (with `-2`, `-3` for
/// the further parts of a VPC split by the limits) when a region has several.
fn stack_names(prefix: &str, bins: &[Bin], order: &[usize]) -> Vec<String> {
    let mut names = vec![String::new(); bins.len()];
    if bins.len() == 1 {
        names[0] = prefix.to_string();
        return names;
    }
    let mut per_region: BTreeMap<&str, usize> = BTreeMap::new();
    for bin in bins {
        *per_region.entry(bin.region.as_str()).or_default() += 1;
    }
    let mut taken = BTreeSet::new();
    for (position, &index) in order.iter().enumerate() {
        let bin = &bins[index];
        let mut base = format!("{prefix}-{}", bin.region);
        if per_region[bin.region.as_str()] > 1 {
            base.push('-');
            base.push_str(&bin.label.replace('_', "-"));
        }
        let mut name = base.clone();
        let mut part = 1;
        while taken.contains(&name) {
            part += 1;
            name = format!("{base}-{part}");
        }
        if name.len() > MAX_STACK_NAME {
            name = format!("{prefix}-{}-{}", bin.region, position + 1);
        }
        taken.insert(name.clone());
        names[index] = name;
    }
    names
}

/// A stack being filled: its region, what it holds, and the resources and outputs
/// assigned to it.
#[derive(Default)]
struct Bin {
    region: String,
    /// The name of the first VPC it holds, or `shared` for objects outside any VPC.
    label: String,
    resources: Vec<String>,
    outputs: Vec<usize>,
    bytes: usize,
}

pub(crate) fn split(
    model: &Model,
    emitted: Emitted,
    outputs: Outputs,
    options: &BuildOptions,
) -> Result<Build, BuildError> {
    // Budgets shrink when a packing leaves a stack over a limit once exports are added.
    let mut budget = options.limits;
    loop {
        match try_split(model, &emitted, &outputs, options, budget) {
            Packing::Done(build) => return Ok(build),
            Packing::Cycle(stacks) => return Err(BuildError::StackCycle(stacks)),
            Packing::TooLarge(stack) if budget.resources < 10 => {
                return Err(BuildError::TooLarge(stack))
            }
            Packing::TooLarge(_) => {
                budget.resources = budget.resources * 9 / 10;
                budget.outputs = budget.outputs * 9 / 10;
                budget.body_bytes = budget.body_bytes * 9 / 10;
            }
        }
    }
}

/// The result of one packing attempt.
enum Packing {
    Done(Build),
    /// A stack over CloudFormation's limits once exports were added: pack tighter.
    TooLarge(String),
    /// Stacks that refer to each other (their names), which no order can deploy.
    Cycle(Vec<String>),
}

fn try_split(
    model: &Model,
    emitted: &Emitted,
    outputs: &Outputs,
    options: &BuildOptions,
    budget: StackLimits,
) -> Packing {
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
    let size = |logical: &str| pretty_len(&emitted[logical].1) + logical.len() + 8;
    let output_size = |index: usize| pretty_len(&outputs[index].2) + 64;

    let mut bins: Vec<Bin> = Vec::new();
    // The last stack holding a resource of each object, where its outputs go.
    let mut stack_of_owner: HashMap<ObjRef, usize> = HashMap::new();
    let fits = |bin: &Bin, resources: usize, outs: usize, bytes: usize| {
        bin.resources.len() + resources <= budget.resources
            && bin.outputs.len() + outs <= budget.outputs
            && bin.bytes + bytes <= budget.body_bytes
    };
    for ((region, vpc), (resources, outs)) in &clusters {
        let label = vpc.map_or_else(
            || "shared".to_string(),
            |v| model.vpcs[Id::new(v)].common.name.clone(),
        );
        let bytes: usize = resources.iter().map(|r| size(r)).sum::<usize>()
            + outs.iter().map(|o| output_size(*o)).sum::<usize>();
        let current = bins.iter().rposition(|b| &b.region == region);
        let whole_fits =
            current.is_some_and(|i| fits(&bins[i], resources.len(), outs.len(), bytes));
        if whole_fits {
            let index = current.expect("checked");
            for logical in resources {
                note_owner(&mut stack_of_owner, emitted[logical].0.owner, index);
            }
            let bin = &mut bins[index];
            bin.resources.extend(resources.iter().cloned());
            bin.outputs.extend(outs.iter().copied());
            bin.bytes += bytes;
            continue;
        }
        // A new stack for this cluster; a cluster larger than a stack fills several.
        bins.push(Bin {
            region: region.clone(),
            label: label.clone(),
            ..Bin::default()
        });
        for logical in resources {
            let bytes = size(logical);
            if !fits(bins.last().expect("pushed"), 1, 0, bytes) {
                bins.push(Bin {
                    region: region.clone(),
                    label: label.clone(),
                    ..Bin::default()
                });
            }
            note_owner(
                &mut stack_of_owner,
                emitted[logical].0.owner,
                bins.len() - 1,
            );
            let bin = bins.last_mut().expect("pushed");
            bin.resources.push(logical.clone());
            bin.bytes += bytes;
        }
        for &output in outs {
            // An output lives with the resource it reads.
            let owner = &outputs[output].1;
            let home = stack_of_owner.get(owner).copied().unwrap_or(bins.len() - 1);
            bins[home].outputs.push(output);
            bins[home].bytes += output_size(output);
        }
    }
    if bins.is_empty() {
        // Nothing to create (only existing objects, or nothing at all): no stack, as
        // CloudFormation refuses a template without resources.
        return Packing::Done(Build { stacks: Vec::new() });
    }

    // Which stack holds each resource, and who imports what.
    let mut home: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, bin) in bins.iter().enumerate() {
        for logical in &bin.resources {
            home.insert(logical.as_str(), index);
        }
    }
    let mut depends: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); bins.len()];
    // What each stack exports (read by stacks of its region) and what it only outputs
    // (read by stacks of other regions, through their parameters).
    let mut exports: Vec<BTreeSet<(String, Option<String>)>> = vec![BTreeSet::new(); bins.len()];
    let mut handed_over: Vec<BTreeSet<(String, Option<String>)>> =
        vec![BTreeSet::new(); bins.len()];
    let mut parameters: Vec<BTreeSet<(String, Option<String>, usize)>> =
        vec![BTreeSet::new(); bins.len()];
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
                depends[index].insert(stack);
                if bins[stack].region == bin.region {
                    exports[stack].insert((target, attribute));
                } else {
                    handed_over[stack].insert((target.clone(), attribute.clone()));
                    parameters[index].insert((target, attribute, stack));
                }
            }
        }
    }
    let Some(order) = topological_order(&depends) else {
        let mut stacks: Vec<String> = (0..bins.len())
            .filter(|i| !depends[*i].is_empty())
            .map(|i| format!("{} ({})", bins[i].label, bins[i].region))
            .collect();
        stacks.dedup();
        return Packing::Cycle(stacks);
    };
    let names = stack_names(&options.stack_prefix, &bins, &order);
    // The output of stack `from` that carries a reference: one of the configuration's
    // own outputs when it has one, else an output added for it.
    let carried_by = |from: usize, target: &str, attribute: Option<&str>| {
        let value = reference_value(target, attribute);
        bins[from]
            .outputs
            .iter()
            .find(|o| outputs[**o].2.get("Value") == Some(&value))
            .map(|o| outputs[*o].0.clone())
    };

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
            rewrite(&mut body, &home, index, &bins, &names);
            resources.insert(logical.clone(), body);
        }
        let mut outs = Map::new();
        for &output in &bin.outputs {
            let (name, _, value) = &outputs[output];
            let mut value = value.clone();
            rewrite(&mut value, &home, index, &bins, &names);
            outs.insert(name.clone(), value);
        }
        for (target, attribute) in exports[index].union(&handed_over[index]) {
            let exported = exports[index].contains(&(target.clone(), attribute.clone()));
            if !exported && carried_by(index, target, attribute.as_deref()).is_some() {
                continue;
            }
            let key = output_key(target, attribute.as_deref());
            let mut output = json!({
                "Description": format!("{target} for the stacks that read it"),
                "Value": reference_value(target, attribute.as_deref()),
            });
            if exported {
                output["Export"] =
                    json!({"Name": {"Fn::Sub": format!("${{AWS::StackName}}-{key}")}});
            }
            outs.insert(key, output);
        }
        let mut stack_parameters = Vec::new();
        let mut declared = Map::new();
        for (target, attribute, from) in &parameters[index] {
            let name = parameter_name(target, attribute.as_deref());
            let output = carried_by(*from, target, attribute.as_deref())
                .unwrap_or_else(|| output_key(target, attribute.as_deref()));
            declared.insert(
                name.clone(),
                json!({
                    "Type": "String",
                    "Description": format!(
                        "{} of {target}: output {output} of stack {} in {} (exports do not cross regions)",
                        attribute.as_deref().unwrap_or("Ref"),
                        names[*from],
                        bins[*from].region
                    ),
                }),
            );
            stack_parameters.push(StackParameter {
                name,
                from_stack: names[*from].clone(),
                output,
            });
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
        });
        if !declared.is_empty() {
            template["Parameters"] = Value::Object(declared);
        }
        template["Resources"] = Value::Object(resources);
        if !outs.is_empty() {
            template["Outputs"] = Value::Object(outs);
        }
        let stack = Stack {
            name: names[index].clone(),
            region: bin.region.clone(),
            template,
            depends_on: depends[index].iter().map(|d| names[*d].clone()).collect(),
            parameters: stack_parameters,
        };
        let body = serde_json::to_string_pretty(&stack.template).map_or(usize::MAX, |s| s.len());
        if stack.resource_count() > LIMITS.resources.min(budget.resources.max(1))
            || stack.output_count() > LIMITS.outputs
            || body > LIMITS.body_bytes
        {
            return Packing::TooLarge(stack.name);
        }
        stacks.push(stack);
    }
    Packing::Done(Build { stacks })
}

fn note_owner(stack_of_owner: &mut HashMap<ObjRef, usize>, owner: ObjRef, stack: usize) {
    let last = stack_of_owner.entry(owner).or_insert(stack);
    *last = (*last).max(stack);
}

/// The length of a value's pretty JSON, without writing it anywhere.
fn pretty_len(value: &Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    serde_json::to_writer_pretty(&mut counter, value).map_or(0, |()| counter.0)
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
