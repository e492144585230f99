//! The diff of two simulations, resource by resource (matched by address), on the
//! flattened CloudFormation properties (JSON pointer paths). A change to a property
//! CloudFormation cannot update in place (`createOnlyProperties`, AWS-FACTS §1) makes
//! the resource a replacement; so does a property that refers to a replaced resource
//! when that property is create-only (a subnet of a replaced VPC is replaced too).
//!
//! Before comparing, `Fn::Sub` and `Fn::Join` over literals and pseudo parameters are
//! evaluated, so `"s3"` and `"com.amazonaws.eu-west-1.s3"` compare equal in eu-west-1,
//! as CloudFormation sees them.

use std::collections::HashMap;

use vpce_model::modules::{path_name_prefix, split_module_path};
use vpce_model::EndpointType;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::{Action, Change, ResourceChange, SimResource, Snapshot, Strategy};

/// CloudFormation's `createOnlyProperties` per resource type, as JSON pointers into
/// `Properties`: changing one replaces the resource. From the registry schemas as
/// recorded in AWS-FACTS §1; the rows marked UNCONFIRMED are from the public schemas
/// but not recorded there. Conditional cases are in [`forcing_pointer`].
pub fn create_only_properties(resource_type: &str) -> &'static [&'static str] {
    match resource_type {
        // §1.1; DnsOptions' two preferences apply to ServiceNetwork/Resource endpoints.
        "AWS::EC2::VPCEndpoint" => &[
            "/VpcId",
            "/ServiceName",
            "/VpcEndpointType",
            "/ServiceRegion",
            "/ServiceNetworkArn",
            "/ResourceConfigurationArn",
            "/DnsOptions/PrivateDnsPreference",
            "/DnsOptions/PrivateDnsSpecifiedDomains",
        ],
        // §1.2: no createOnlyProperties.
        "AWS::EC2::VPCEndpointService" => &[],
        // §1.3.
        "AWS::EC2::VPCEndpointServicePermissions" => &["/ServiceId"],
        // §1.5.
        "AWS::EC2::Route" => &[
            "/RouteTableId",
            "/DestinationCidrBlock",
            "/DestinationIpv6CidrBlock",
            "/DestinationPrefixListId",
        ],
        // §1.6.
        "AWS::EC2::SubnetRouteTableAssociation" => &["/RouteTableId", "/SubnetId"],
        // §1.7 (InstanceTenancy default→dedicated is conditional; vpce never writes it).
        "AWS::EC2::VPC" => &[
            "/CidrBlock",
            "/Ipv4IpamPoolId",
            "/Ipv4NetmaskLength",
            "/VpcEncryptionControl",
        ],
        // §1.8 (Ipv6CidrBlock is conditional: see `forcing_pointer`).
        "AWS::EC2::Subnet" => &[
            "/VpcId",
            "/AvailabilityZone",
            "/AvailabilityZoneId",
            "/CidrBlock",
            "/OutpostArn",
            "/Ipv6Native",
            "/Ipv4IpamPoolId",
            "/Ipv4NetmaskLength",
            "/Ipv6IpamPoolId",
            "/Ipv6NetmaskLength",
        ],
        // §1.9.
        "AWS::EC2::RouteTable" => &["/VpcId"],
        // §1.10.
        "AWS::EC2::SecurityGroup" => &["/GroupDescription", "/GroupName", "/VpcId"],
        // UNCONFIRMED (not in AWS-FACTS): the NAT gateway schema's createOnly list.
        "AWS::EC2::NatGateway" => &[
            "/SubnetId",
            "/AllocationId",
            "/PrivateIpAddress",
            "/ConnectivityType",
        ],
        // UNCONFIRMED: the EIP schema's createOnly list (the parts vpce writes).
        "AWS::EC2::EIP" => &["/Domain"],
        // UNCONFIRMED: an attachment moves to another VPC by replacement.
        "AWS::EC2::VPCGatewayAttachment" => &["/VpcId"],
        // UNCONFIRMED: the gateway can be changed in place, the table cannot.
        "AWS::EC2::GatewayRouteTableAssociation" => &["/RouteTableId"],
        // UNCONFIRMED: every property but the description.
        "AWS::EC2::SecurityGroupIngress" => &[
            "/GroupId",
            "/IpProtocol",
            "/FromPort",
            "/ToPort",
            "/CidrIp",
            "/CidrIpv6",
            "/SourceSecurityGroupId",
            "/SourcePrefixListId",
        ],
        // UNCONFIRMED: an IPv6 block association cannot be modified.
        "AWS::EC2::VPCCidrBlock" => &["/VpcId", "/AmazonProvidedIpv6CidrBlock", "/CidrBlock"],
        // UNCONFIRMED (not in AWS-FACTS): name, scheme and type of a load balancer.
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => &["/Name", "/Scheme", "/Type"],
        // UNCONFIRMED (not in AWS-FACTS): a target group's identity and a listener's
        // load balancer cannot change in place.
        "AWS::ElasticLoadBalancingV2::TargetGroup" => &[
            "/Name",
            "/Port",
            "/Protocol",
            "/TargetType",
            "/VpcId",
            "/IpAddressType",
        ],
        "AWS::ElasticLoadBalancingV2::Listener" => &["/LoadBalancerArn"],
        _ => &[],
    }
}

/// How CloudFormation replaces a resource of this type (AWS-FACTS §1: the default is
/// create-then-delete; the subnet association declares delete-then-create).
pub fn replacement_strategy(resource_type: &str) -> Strategy {
    match resource_type {
        "AWS::EC2::SubnetRouteTableAssociation" => Strategy::DeleteThenCreate,
        _ => Strategy::CreateThenDelete,
    }
}

fn under(path: &str, pointer: &str) -> bool {
    path == pointer
        || path
            .strip_prefix(pointer)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The create-only pointer a change at `path` falls under, if it forces replacement.
fn forcing_pointer(
    resource_type: &str,
    path: &str,
    properties: &Value,
    change: &Change,
) -> Option<&'static str> {
    if let Some(pointer) = create_only_properties(resource_type)
        .iter()
        .find(|p| under(path, p))
    {
        return Some(pointer);
    }
    match resource_type {
        // A gateway load balancer endpoint's subnet "can't be changed later on"
        // (AWS-FACTS §3.2 C4).
        "AWS::EC2::VPCEndpoint"
            if under(path, "/SubnetIds")
                && properties
                    .get("VpcEndpointType")
                    .and_then(Value::as_str)
                    .and_then(EndpointType::from_cloudformation_name)
                    == Some(EndpointType::GatewayLoadBalancer) =>
        {
            Some("/SubnetIds")
        }
        // conditionalCreateOnly (§1.8): taken as replacement when one block becomes
        // another, an update when a block is added or removed. UNCONFIRMED.
        "AWS::EC2::Subnet"
            if under(path, "/Ipv6CidrBlock")
                && change.before.is_some()
                && change.after.is_some() =>
        {
            Some("/Ipv6CidrBlock")
        }
        _ => None,
    }
}

fn is_intrinsic(map: &Map<String, Value>) -> bool {
    map.len() == 1
        && map
            .keys()
            .next()
            .is_some_and(|k| k == "Ref" || k.starts_with("Fn::"))
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The names `${Name}` / `${Name.Attribute}` of an `Fn::Sub` string refers to.
fn sub_names(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.starts_with('!') {
            out.push(name.split('.').next().unwrap_or(name));
        }
        rest = &after[end + 1..];
    }
    out
}

/// Every resource a value refers to, with the JSON pointer of the reference:
/// `Ref`, `Fn::GetAtt`, `Fn::Sub` and `DependsOn`; pseudo parameters (`AWS::Region`)
/// are not resources.
pub fn collect_refs(value: &Value, path: &str, out: &mut Vec<(String, String)>) {
    let mut push = |name: &str| {
        if !name.starts_with("AWS::") && !name.is_empty() {
            out.push((path.to_string(), name.to_string()));
        }
    };
    match value {
        Value::Object(map) => {
            if let Some(Value::String(name)) = map.get("Ref") {
                push(name);
            }
            match map.get("Fn::GetAtt") {
                Some(Value::Array(parts)) => {
                    if let Some(name) = parts.first().and_then(Value::as_str) {
                        push(name);
                    }
                }
                Some(Value::String(text)) => push(text.split('.').next().unwrap_or(text)),
                _ => {}
            }
            match map.get("Fn::Sub") {
                Some(Value::String(text)) => sub_names(text).into_iter().for_each(&mut push),
                Some(Value::Array(parts)) => {
                    let variables: Vec<&str> = parts
                        .get(1)
                        .and_then(Value::as_object)
                        .map(|m| m.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    if let Some(text) = parts.first().and_then(Value::as_str) {
                        sub_names(text)
                            .into_iter()
                            .filter(|n| !variables.contains(n))
                            .for_each(&mut push);
                    }
                }
                _ => {}
            }
            match map.get("DependsOn") {
                Some(Value::String(name)) => push(name),
                Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).for_each(push),
                _ => {}
            }
            for (key, child) in map {
                if matches!(key.as_str(), "Ref" | "DependsOn") {
                    continue;
                }
                collect_refs(child, &format!("{path}/{}", escape(key)), out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_refs(item, &format!("{path}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// What pseudo parameters stand for in one region and account.
struct Pseudo<'a> {
    region: &'a str,
    account: &'a str,
}

impl Pseudo<'_> {
    fn get(&self, name: &str) -> Option<String> {
        Some(match name {
            "AWS::Region" => self.region.to_string(),
            "AWS::AccountId" => self.account.to_string(),
            "AWS::Partition" => crate::simulate::partition(self.region).to_string(),
            "AWS::URLSuffix" => crate::dns::suffix(self.region).to_string(),
            _ => return None,
        })
    }

    fn sub(&self, text: &str) -> Option<String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after.find('}')?;
            let name = &after[..end];
            match name.strip_prefix('!') {
                Some(literal) => out.push_str(&format!("${{{literal}}}")),
                None => out.push_str(&self.get(name)?),
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Some(out)
    }
}

/// The value with `Fn::Sub`, `Fn::Join` and `Ref` of pseudo parameters evaluated where
/// they involve nothing else.
fn normalise(value: &Value, pseudo: &Pseudo<'_>) -> Value {
    match value {
        Value::Object(map) if is_intrinsic(map) => {
            let (key, argument) = map.iter().next().expect("one key");
            let argument = normalise(argument, pseudo);
            let evaluated = match (key.as_str(), &argument) {
                ("Ref", Value::String(name)) => pseudo.get(name),
                ("Fn::Sub", Value::String(text)) => pseudo.sub(text),
                ("Fn::Join", Value::Array(parts)) => match (parts.first(), parts.get(1)) {
                    (Some(Value::String(separator)), Some(Value::Array(items))) => items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string))
                        .collect::<Option<Vec<String>>>()
                        .map(|items| items.join(separator)),
                    _ => None,
                },
                _ => None,
            };
            match evaluated {
                Some(text) => Value::String(text),
                None => {
                    let mut out = Map::new();
                    out.insert(key.clone(), argument);
                    Value::Object(out)
                }
            }
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), normalise(v, pseudo)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| normalise(v, pseudo)).collect()),
        other => other.clone(),
    }
}

/// The leaves of a properties object by JSON pointer. Objects are walked; an array is
/// walked by index only when it holds plain objects (tags, rules, policy statements);
/// arrays of scalars or references, intrinsic functions and empty containers are leaves.
fn flatten(value: &Value) -> Vec<(String, Value)> {
    fn walk(value: &Value, path: String, out: &mut Vec<(String, Value)>) {
        match value {
            Value::Object(map) if !map.is_empty() && !is_intrinsic(map) => {
                for (key, child) in map {
                    walk(child, format!("{path}/{}", escape(key)), out);
                }
            }
            Value::Array(items)
                if items
                    .iter()
                    .any(|i| matches!(i, Value::Object(m) if !is_intrinsic(m))) =>
            {
                for (index, item) in items.iter().enumerate() {
                    walk(item, format!("{path}/{index}"), out);
                }
            }
            other => out.push((path, other.clone())),
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// The property a path is about, for messages: `PolicyDocument` for
/// `/PolicyDocument/Statement/0`.
fn top_property(path: &str) -> &str {
    path.trim_start_matches('/').split('/').next().unwrap_or("")
}

/// The resource's normalised properties.
fn normalised(resource: &SimResource, account: &str) -> Value {
    normalise(
        &resource.properties,
        &Pseudo {
            region: &resource.region,
            account,
        },
    )
}

/// Every property of a resource as a change: added (`created`) or removed. The plan
/// keeps no such list for created and deleted resources (nothing to diff against); the
/// JSON plan, which lists them, asks for it here.
pub(crate) fn every_property(resource: &SimResource, account: &str, created: bool) -> Vec<Change> {
    flatten(&normalised(resource, account))
        .into_iter()
        .map(|(path, value)| Change {
            path,
            before: (!created).then(|| value.clone()),
            after: created.then_some(value),
            forces_replacement: false,
            known_after_apply: None,
        })
        .collect()
}

/// Whether a resource whose properties are written the same as before refers to a
/// resource that is replaced (so a value changes after apply).
fn refers_to_replaced(
    properties: &Value,
    new_by_logical: &HashMap<&str, usize>,
    out: &[ResourceChange],
) -> bool {
    let mut refs = Vec::new();
    collect_refs(properties, "", &mut refs);
    refs.iter().any(|(_, logical)| {
        new_by_logical
            .get(logical.as_str())
            .is_some_and(|&k| out[k].action == Action::Replace)
    })
}

/// Every resource's action against `previous`: the new resources in order (index `i` is
/// resource `i`), then the deleted ones in their previous order.
pub fn compare(
    sims: &[SimResource],
    levels: &[usize],
    previous: Option<&Snapshot>,
    account: &str,
) -> Vec<ResourceChange> {
    let mut out: Vec<ResourceChange> = sims
        .iter()
        .enumerate()
        .map(|(i, sim)| ResourceChange {
            address: sim.address.clone(),
            resource_type: sim.resource_type.clone(),
            logical_id: sim.logical_id.clone(),
            action: Action::Create,
            strategy: None,
            id: None,
            previous_id: None,
            changes: Vec::new(),
            reasons: vec!["new in this configuration".into()],
            new: Some(i),
            old: None,
            moved: None,
        })
        .collect();
    let Some(previous) = previous else {
        return out;
    };
    let old_by_address: HashMap<&str, usize> = previous
        .resources
        .iter()
        .enumerate()
        .map(|(j, r)| (r.address.as_str(), j))
        .collect();
    let new_by_logical: HashMap<&str, usize> = sims
        .iter()
        .enumerate()
        .map(|(i, s)| (s.logical_id.as_str(), i))
        .collect();
    // Dependencies first, so a replaced resource is known before what refers to it.
    let mut order: Vec<usize> = (0..sims.len()).collect();
    order.sort_by_key(|&i| (levels[i], i));
    let mut any_replaced = false;
    for i in order {
        let Some(&j) = old_by_address.get(sims[i].address.as_str()) else {
            continue;
        };
        let new = &sims[i];
        let old = &previous.resources[j];
        out[i].old = Some(j);
        if new.resource_type != old.resource_type {
            any_replaced = true;
            out[i].action = Action::Replace;
            out[i].strategy = Some(replacement_strategy(&new.resource_type));
            out[i].reasons = vec![format!(
                "the resource type changes from `{}` to `{}`: forces replacement",
                old.resource_type, new.resource_type
            )];
            continue;
        }
        // Written the same (in the same region and account): unchanged, unless a value
        // it refers to is replaced. Most resources of a plan are this; only the others
        // are flattened and diffed.
        if new.properties == old.properties
            && new.region == old.region
            && account == previous.account
            && (!any_replaced || !refers_to_replaced(&new.properties, &new_by_logical, &out))
        {
            out[i].action = Action::Unchanged;
            out[i].reasons = Vec::new();
            continue;
        }
        let new_properties = normalised(new, account);
        let old_properties = normalised(old, &previous.account);
        let mut old_leaves: IndexMap<String, Value> =
            flatten(&old_properties).into_iter().collect();
        let mut changes: Vec<Change> = Vec::new();
        for (path, value) in flatten(&new_properties) {
            match old_leaves.shift_remove(&path) {
                Some(before) if before == value => {
                    let mut refs = Vec::new();
                    collect_refs(&value, "", &mut refs);
                    let replaced = refs.iter().find_map(|(_, logical)| {
                        let &k = new_by_logical.get(logical.as_str())?;
                        (out[k].action == Action::Replace).then(|| sims[k].address.clone())
                    });
                    if let Some(address) = replaced {
                        changes.push(Change {
                            path,
                            before: Some(before),
                            after: Some(value),
                            forces_replacement: false,
                            known_after_apply: Some(address),
                        });
                    }
                }
                before => changes.push(Change {
                    path,
                    before,
                    after: Some(value),
                    forces_replacement: false,
                    known_after_apply: None,
                }),
            }
        }
        for (path, before) in old_leaves {
            changes.push(Change {
                path,
                before: Some(before),
                after: None,
                forces_replacement: false,
                known_after_apply: None,
            });
        }
        let mut forcing: Vec<&'static str> = Vec::new();
        for change in &mut changes {
            if let Some(pointer) =
                forcing_pointer(&new.resource_type, &change.path, &new_properties, change)
            {
                change.forces_replacement = true;
                forcing.push(pointer);
            }
        }
        let replace = !forcing.is_empty();
        let mut reasons: Vec<String> = Vec::new();
        for change in &changes {
            if replace && !change.forces_replacement {
                continue;
            }
            let property = if change.forces_replacement {
                forcing_pointer(&new.resource_type, &change.path, &new_properties, change)
                    .map_or("", |p| p.trim_start_matches('/'))
            } else {
                top_property(&change.path)
            };
            let mut reason = match &change.known_after_apply {
                Some(address) => {
                    format!("`{property}` refers to `{address}`, which is replaced")
                }
                None => format!("`{property}` changed"),
            };
            if change.forces_replacement {
                reason.push_str(": forces replacement");
            }
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
        let resource = &mut out[i];
        resource.action = if replace {
            Action::Replace
        } else if changes.is_empty() {
            Action::Unchanged
        } else {
            Action::Update
        };
        any_replaced |= replace;
        resource.strategy = replace.then(|| replacement_strategy(&new.resource_type));
        resource.changes = changes;
        resource.reasons = reasons;
    }
    let new_addresses: std::collections::HashSet<&str> =
        sims.iter().map(|s| s.address.as_str()).collect();
    for (j, old) in previous.resources.iter().enumerate() {
        if new_addresses.contains(old.address.as_str()) {
            continue;
        }
        out.push(ResourceChange {
            address: old.address.clone(),
            resource_type: old.resource_type.clone(),
            logical_id: old.logical_id.clone(),
            action: Action::Delete,
            strategy: None,
            id: None,
            previous_id: None,
            changes: Vec::new(),
            reasons: vec!["no longer in the configuration".into()],
            new: None,
            old: Some(j),
            moved: None,
        });
    }
    pair_moves(&mut out, sims, previous, account);
    out
}

/// Pairs each deleted resource with a created one that is the same resource moved to
/// another module instance (a module renamed, or its `for_each` key): the same type,
/// the same address inside its module, and equal properties once the names and
/// references that the move changes are set aside. CloudFormation still deletes one
/// and creates the other (the logical id changes); the plan says it is a move.
fn pair_moves(
    out: &mut [ResourceChange],
    sims: &[SimResource],
    previous: &Snapshot,
    account: &str,
) {
    let new_inner: HashMap<&str, &str> = sims
        .iter()
        .map(|s| (s.logical_id.as_str(), split_module_path(&s.address).1))
        .collect();
    let old_inner: HashMap<&str, &str> = previous
        .resources
        .iter()
        .map(|r| (r.logical_id.as_str(), split_module_path(&r.address).1))
        .collect();
    // The deleted resources with their moved form, computed only when a created
    // resource of the same type and inner address asks for it.
    let mut deleted: Vec<(usize, usize, Option<Value>)> = out
        .iter()
        .enumerate()
        .filter(|(_, c)| c.action == Action::Delete)
        .filter_map(|(k, c)| Some((k, c.old?, None)))
        .collect();
    for i in 0..out.len() {
        if out[i].action != Action::Create || deleted.is_empty() {
            continue;
        }
        let Some(new) = out[i].new.map(|n| &sims[n]) else {
            continue;
        };
        let (path, inner) = split_module_path(&new.address);
        let mut form: Option<Value> = None;
        let mut position = None;
        for (at, (k, j, old_form)) in deleted.iter_mut().enumerate() {
            let (old_path, old_address_inside) = split_module_path(&out[*k].address);
            if out[*k].resource_type != new.resource_type
                || old_address_inside != inner
                || old_path == path
            {
                continue;
            }
            let form = form.get_or_insert_with(|| moved_form(new, account, &new_inner));
            let old = &previous.resources[*j];
            let old_form =
                old_form.get_or_insert_with(|| moved_form(old, &previous.account, &old_inner));
            if old_form == form {
                position = Some(at);
                break;
            }
        }
        let Some(position) = position else {
            continue;
        };
        let (k, _, _) = deleted.remove(position);
        let reason = format!(
            "moved from `{}` to `{}` (delete + create: its logical id changes)",
            out[k].address, out[i].address
        );
        out[i].moved = Some(out[k].address.clone());
        out[k].moved = Some(out[i].address.clone());
        out[i].reasons = vec![reason.clone()];
        out[k].reasons = vec![reason];
    }
}

/// A resource's properties with what a move changes set aside: its module path's name
/// prefix in names and descriptions, and references by logical id (replaced by the
/// referenced resource's address inside its module).
fn moved_form(resource: &SimResource, account: &str, inner: &HashMap<&str, &str>) -> Value {
    let prefix = path_name_prefix(split_module_path(&resource.address).0);
    fn walk(value: &Value, prefix: &str, inner: &HashMap<&str, &str>) -> Value {
        match value {
            Value::String(text) => Value::String(moved_text(text, prefix, inner)),
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| walk(v, prefix, inner)).collect())
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), walk(v, prefix, inner)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    walk(&normalised(resource, account), &prefix, inner)
}

fn moved_text(text: &str, prefix: &str, inner: &HashMap<&str, &str>) -> String {
    if let Some(address) = inner.get(text) {
        return format!("${{{address}}}");
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // `${LogicalId}` and `${LogicalId.Attribute}` of `Fn::Sub`.
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start + 2]);
        rest = &rest[start + 2..];
        let end = rest.find(['}', '.']).unwrap_or(rest.len());
        match inner.get(&rest[..end]) {
            Some(address) => out.push_str(&format!("<{address}>")),
            None => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    if prefix.is_empty() {
        return out;
    }
    // The name prefix where a name starts (not inside a longer word).
    let mut named = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(start) = rest.find(prefix) {
        let before = match start {
            0 => named.chars().last(),
            _ => rest[..start].chars().last(),
        };
        let boundary = before.is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
        named.push_str(&rest[..start]);
        named.push_str(if boundary { "<module>_" } else { prefix });
        rest = &rest[start + prefix.len()..];
    }
    named.push_str(rest);
    named
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn flatten_walks_objects_and_object_arrays_only() {
        let leaves = flatten(&json!({
            "VpcId": {"Ref": "VpcMain"},
            "SubnetIds": [{"Ref": "A"}, {"Ref": "B"}],
            "Tags": [{"Key": "Name", "Value": "x"}],
            "PolicyDocument": {"Statement": [{"Action": ["s3:GetObject"]}]},
            "Empty": [],
            "Odd/Key": 1
        }));
        let paths: Vec<&str> = leaves.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/VpcId",
                "/SubnetIds",
                "/Tags/0/Key",
                "/Tags/0/Value",
                "/PolicyDocument/Statement/0/Action",
                "/Empty",
                "/Odd~1Key"
            ]
        );
    }

    #[test]
    fn pseudo_parameters_are_evaluated() {
        let pseudo = Pseudo {
            region: "eu-west-1",
            account: "000000000000",
        };
        assert_eq!(
            normalise(
                &json!({"Fn::Sub": "com.amazonaws.${AWS::Region}.s3"}),
                &pseudo
            ),
            json!("com.amazonaws.eu-west-1.s3")
        );
        assert_eq!(
            normalise(
                &json!({"Fn::Join": [".", ["a", {"Ref": "AWS::Region"}, {"Ref": "Svc"}]]}),
                &pseudo
            ),
            json!({"Fn::Join": [".", ["a", "eu-west-1", {"Ref": "Svc"}]]})
        );
    }

    #[test]
    fn references_are_found_everywhere() {
        let mut refs = Vec::new();
        collect_refs(
            &json!({
                "Properties": {"A": {"Ref": "X"}, "B": [{"Fn::GetAtt": ["Y", "GroupId"]}],
                               "C": {"Fn::Sub": "${Z.Arn}-${AWS::Region}-${!Literal}"},
                               "D": {"Ref": "AWS::Region"}},
                "DependsOn": ["W"]
            }),
            "",
            &mut refs,
        );
        let names: Vec<&str> = refs.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["W", "X", "Y", "Z"]);
        assert_eq!(refs[1].0, "/Properties/A");
    }

    #[test]
    fn create_only_tables_cover_the_endpoint() {
        assert!(create_only_properties("AWS::EC2::VPCEndpoint").contains(&"/ServiceName"));
        assert!(create_only_properties("AWS::EC2::VPCEndpointService").is_empty());
        assert_eq!(
            replacement_strategy("AWS::EC2::SubnetRouteTableAssociation"),
            Strategy::DeleteThenCreate
        );
        assert!(under(
            "/DnsOptions/PrivateDnsPreference",
            "/DnsOptions/PrivateDnsPreference"
        ));
        assert!(under("/Tags/0/Key", "/Tags"));
        assert!(!under("/TagsX", "/Tags"));
    }
}
