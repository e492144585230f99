//! State format 3: the simulated deployment without what can be rebuilt from what is
//! kept.
//!
//! The writer rebuilds each field it could leave out from the fields it keeps, and
//! leaves it out only when the rebuilt value equals the value; otherwise it writes the
//! value in full. So reading gives back exactly the snapshot that was written, whatever
//! it holds (a subnet outside the state, a DNS name of another pattern, a region of its
//! own). What is rebuilt, when it matches:
//!
//! - a resource's region: the state's `region`, the one most resources have;
//! - its type: an index into `types`;
//! - its logical id: its address in PascalCase (`subnet.app_a` → `SubnetAppA`);
//! - its id: the simulated id of its type, account, region, address and generation;
//! - an endpoint's `vpc` (its `VpcId` reference), `vpc_id` (that VPC's id) and
//!   `service_name` (its `ServiceName` in its region); a load balancer's `arn` (its id);
//! - a network interface's subnet (the resource's subnets in order), id, subnet id and
//!   AZ (the subnet resource's); an interface that keeps nothing else is its address;
//! - an interface endpoint's regional DNS name (from its id and service) and zonal names
//!   (the regional one with the AZ): each is `null` or its AZ;
//! - the addresses of a private DNS record: the network interfaces' addresses;
//! - a gateway endpoint's route's table id, prefix list (the hash of its service) and
//!   target (the endpoint's id);
//! - a reachability row's source (rows are grouped by it) and its reason, `through` its
//!   last hop.
//!
//! These rules are part of format 3: changing how one rebuilds a value needs a new
//! version. A committed version 3 state read beside its version 2 twin holds them to it.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use vpce_emit_plan::{
    dns,
    ids::{self, Key},
    Attributes, DnsName, NetworkInterface, PrefixListRoute, PrivateDnsRecord, ReachRow,
    SimResource, Snapshot, Verdict,
};

use vpce_model::logical_id::pascal;

use super::{State, STATE_VERSION};

/// A state file of format 3.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "vpce state")]
pub struct CompactState {
    /// The format's version; a vpce refuses a version newer than it knows.
    pub version: u64,
    /// Increases by one with every `apply` that changes something.
    pub serial: u64,
    /// The vpce that wrote the file.
    pub vpce_version: String,
    /// The account the simulated ids are derived from.
    pub account: String,
    /// The region of every resource that names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The resource types, which resources name by their index.
    pub types: Vec<String>,
    /// In the configuration's order.
    pub resources: Vec<CompactResource>,
    /// The reachability rows that carry traffic, in order, grouped by source.
    pub reachability: Vec<ReachFrom>,
}

/// A simulated CloudFormation resource. A field that is absent is rebuilt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CompactResource {
    /// `endpoint.s3`; a part of an object adds a suffix (`nat_gateway.a.eip`).
    pub address: String,
    /// An index into `types`.
    #[serde(rename = "type")]
    pub type_index: usize,
    /// Absent: the address in PascalCase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logical_id: Option<String>,
    /// Absent: the state's `region`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Absent: the simulated id of the type, account, region, address and generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub generation: u32,
    /// The CloudFormation `Properties`, as the template holds them.
    pub properties: Value,
    #[serde(default, skip_serializing_if = "CompactAttributes::is_empty")]
    pub attributes: CompactAttributes,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A value that may be `null`, absent when rebuilt: `Some(None)` is a written `null`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// Computed attributes; an absent `vpc`, `vpc_id`, `service_name` or `arn` is rebuilt
/// (`null` is no value).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CompactAttributes {
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub arn: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub vpc: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub vpc_id: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_name: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_interfaces: Vec<CompactInterface>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_names: Vec<CompactDnsName>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_dns: Vec<CompactPrivateDns>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix_list_routes: Vec<CompactRoute>,
}

/// A gateway endpoint's route; absent fields are rebuilt: the route table's id, the
/// service's prefix list, the endpoint's id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CompactRoute {
    pub route_table: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

impl CompactAttributes {
    fn is_empty(&self) -> bool {
        self == &CompactAttributes::default()
    }
}

/// A network interface: only its private address (or `null`) when the rest is rebuilt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum CompactInterface {
    Address(Option<String>),
    Fields(InterfaceFields),
}

/// A network interface of which something is not rebuilt; absent fields are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InterfaceFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub availability_zone: Option<Option<String>>,
    #[serde(default)]
    pub private_ip: Option<String>,
}

/// A DNS name: `null` for the rebuilt regional name, an AZ for the rebuilt zonal name
/// of that AZ, or the name in full.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum CompactDnsName {
    Rebuilt(Option<String>),
    Full(DnsName),
}

/// A private DNS record; absent addresses are the network interfaces'.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CompactPrivateDns {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inbound_resolver_only: bool,
}

/// Consecutive reachability rows from one source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReachFrom {
    pub from: String,
    pub to: Vec<CompactRow>,
}

/// A reachability row as `[to, verdict, via]` (the reason rebuilt), `[to, verdict, via,
/// reason]`, or `[to, verdict, via, reason, accept_with]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum CompactRow {
    Rebuilt(String, Verdict, Vec<String>),
    Reason(String, Verdict, Vec<String>, String),
    Full(String, Verdict, Vec<String>, String, String),
}

/// The rebuilt logical id: the address's dotted and underscored parts in PascalCase,
/// ASCII alphanumerics only.
fn rebuilt_logical_id(address: &str) -> String {
    let mut out: String = address.split('.').map(pascal).collect();
    out.retain(|c| c.is_ascii_alphanumeric());
    out
}

fn key<'a>(account: &'a str, resource: &'a SimResource) -> Key<'a> {
    Key {
        account,
        region: &resource.region,
        address: &resource.address,
        generation: resource.generation,
    }
}

/// The rebuilt id: the simulated id of a type with an id prefix.
fn rebuilt_id(account: &str, resource: &SimResource) -> Option<String> {
    ids::prefix(&resource.resource_type).map(|prefix| key(account, resource).id(prefix))
}

/// The resources by address and by logical id (the first of each), for what one
/// resource's attributes rebuild from others.
struct Lookup<'a> {
    account: &'a str,
    by_address: HashMap<&'a str, &'a SimResource>,
    by_logical_id: HashMap<&'a str, &'a SimResource>,
}

impl<'a> Lookup<'a> {
    fn new(account: &'a str, resources: &'a [SimResource]) -> Lookup<'a> {
        let mut by_address = HashMap::with_capacity(resources.len());
        let mut by_logical_id = HashMap::with_capacity(resources.len());
        for resource in resources {
            by_address
                .entry(resource.address.as_str())
                .or_insert(resource);
            by_logical_id
                .entry(resource.logical_id.as_str())
                .or_insert(resource);
        }
        Lookup {
            account,
            by_address,
            by_logical_id,
        }
    }

    /// The address a `{"Ref": LOGICAL_ID}` names.
    fn referenced(&self, value: &Value) -> Option<String> {
        let logical = value.get("Ref")?.as_str()?;
        Some(self.by_logical_id.get(logical)?.address.clone())
    }

    fn vpc(&self, resource: &SimResource) -> Option<String> {
        if resource.resource_type != "AWS::EC2::VPCEndpoint" {
            return None;
        }
        let vpc = resource.properties.get("VpcId")?;
        match vpc.as_str() {
            Some(existing) => Some(existing.to_string()),
            None => self.referenced(vpc),
        }
    }

    /// The id of what `address` names: its resource's, or `address` itself when it is an
    /// id (an existing VPC or route table).
    fn id_of(&self, address: &str) -> String {
        match self.by_address.get(address) {
            Some(resource) => resource.id.clone(),
            None => address.to_string(),
        }
    }

    fn vpc_id(&self, vpc: Option<&str>) -> Option<String> {
        vpc.map(|vpc| self.id_of(vpc))
    }

    fn service_name(resource: &SimResource) -> Option<String> {
        match resource.resource_type.as_str() {
            "AWS::EC2::VPCEndpoint" => {
                let name = resource.properties.get("ServiceName")?;
                match name.as_str() {
                    Some(name) => Some(name.to_string()),
                    None => Some(
                        name.get("Fn::Sub")?
                            .as_str()?
                            .replace("${AWS::Region}", &resource.region),
                    ),
                }
            }
            "AWS::EC2::VPCEndpointService" => {
                Some(dns::endpoint_service_name(&resource.region, &resource.id))
            }
            _ => None,
        }
    }

    fn arn(resource: &SimResource) -> Option<String> {
        (resource.resource_type == "AWS::ElasticLoadBalancingV2::LoadBalancer")
            .then(|| resource.id.clone())
    }

    /// The subnets the resource's properties name, in order: the interfaces' subnets.
    fn subnets(&self, resource: &SimResource) -> Vec<Option<String>> {
        let properties = &resource.properties;
        let listed = ["SubnetIds", "Subnets"]
            .iter()
            .find_map(|name| properties.get(name)?.as_array());
        match listed {
            Some(list) => list.iter().map(|s| self.referenced(s)).collect(),
            None => vec![properties.get("SubnetId").and_then(|s| self.referenced(s))],
        }
    }

    /// An interface's id, subnet id and AZ, rebuilt from its subnet.
    fn interface(
        &self,
        resource: &SimResource,
        subnet: String,
        private_ip: Option<String>,
    ) -> NetworkInterface {
        let subnet_resource = self.by_address.get(subnet.as_str());
        let availability_zone = subnet_resource.and_then(|s| {
            let properties = &s.properties;
            let zone = properties
                .get("AvailabilityZoneId")
                .or_else(|| properties.get("AvailabilityZone"))?;
            Some(zone.as_str()?.to_string())
        });
        NetworkInterface {
            id: key(self.account, resource).network_interface_id(&subnet),
            subnet_id: subnet_resource.map(|s| s.id.clone()).unwrap_or_default(),
            subnet,
            availability_zone,
            private_ip,
        }
    }

    /// The regional DNS name of an interface endpoint or an endpoint service.
    fn regional_name(resource: &SimResource, service_name: Option<&str>) -> Option<String> {
        if resource.resource_type == "AWS::EC2::VPCEndpointService" {
            return Some(dns::endpoint_service_dns_name(
                &resource.id,
                &resource.region,
            ));
        }
        let rest = service_name?.strip_prefix("com.amazonaws.")?;
        let (label, region) = match rest.strip_prefix("vpce.") {
            Some(local) => {
                let (region, service_id) = local.split_once('.')?;
                (service_id.to_string(), region)
            }
            None => {
                let (region, short_name) = aws_service(rest)?;
                (dns::service_label(short_name), region)
            }
        };
        Some(dns::regional_name(&resource.id, &label, region))
    }
}

/// The region and short name of an AWS service's name after `com.amazonaws.`.
fn aws_service(rest: &str) -> Option<(&str, &str)> {
    rest.split_once('.')
}

/// A gateway endpoint's prefix list: the hash of its service's region and short name.
fn prefix_list(service_name: Option<&str>) -> Option<String> {
    let (region, short_name) = aws_service(service_name?.strip_prefix("com.amazonaws.")?)?;
    Some(ids::prefix_list_id(region, short_name))
}

fn rebuilt_reason(via: &[String]) -> Option<String> {
    via.last().map(|hop| format!("through `{hop}`"))
}

/// The region most resources have (the first of equals).
fn common_region(resources: &[SimResource]) -> Option<String> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (index, resource) in resources.iter().enumerate() {
        counts.entry(&resource.region).or_insert((0, index)).0 += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, (count, first))| (*count, std::cmp::Reverse(*first)))
        .map(|(region, _)| region.to_string())
}

/// `Some(value)` unless it equals the rebuilt one.
fn unless_rebuilt<T: PartialEq + Clone>(value: &T, rebuilt: T) -> Option<T> {
    (*value != rebuilt).then(|| value.clone())
}

/// The state in format 3, with the reachability rows `keep` keeps.
pub fn compact(state: &State, keep: impl Fn(&ReachRow) -> bool) -> CompactState {
    let snapshot = &state.snapshot;
    let account = snapshot.account.as_str();
    let region = common_region(&snapshot.resources);
    let lookup = Lookup::new(account, &snapshot.resources);
    let mut types: Vec<String> = Vec::new();
    let mut type_indices: HashMap<&str, usize> = HashMap::new();
    let resources = snapshot
        .resources
        .iter()
        .map(|resource| {
            let type_index = *type_indices
                .entry(&resource.resource_type)
                .or_insert_with(|| {
                    types.push(resource.resource_type.clone());
                    types.len() - 1
                });
            CompactResource {
                address: resource.address.clone(),
                type_index,
                logical_id: unless_rebuilt(
                    &resource.logical_id,
                    rebuilt_logical_id(&resource.address),
                ),
                region: (Some(&resource.region) != region.as_ref())
                    .then(|| resource.region.clone()),
                id: (Some(&resource.id) != rebuilt_id(account, resource).as_ref())
                    .then(|| resource.id.clone()),
                generation: resource.generation,
                properties: resource.properties.clone(),
                attributes: compact_attributes(&lookup, resource),
            }
        })
        .collect();
    CompactState {
        version: STATE_VERSION,
        serial: state.serial,
        vpce_version: state.vpce_version.clone(),
        account: snapshot.account.clone(),
        region,
        types,
        resources,
        reachability: compact_rows(snapshot.reachability.iter().filter(|row| keep(row))),
    }
}

fn compact_attributes(lookup: &Lookup<'_>, resource: &SimResource) -> CompactAttributes {
    let attributes = &resource.attributes;
    let subnets = lookup.subnets(resource);
    let network_interfaces = attributes
        .network_interfaces
        .iter()
        .enumerate()
        .map(|(index, interface)| {
            let subnet = subnets.get(index).cloned().flatten();
            let rebuilt = lookup.interface(
                resource,
                interface.subnet.clone(),
                interface.private_ip.clone(),
            );
            if subnet.as_ref() == Some(&interface.subnet) && rebuilt == *interface {
                return CompactInterface::Address(interface.private_ip.clone());
            }
            CompactInterface::Fields(InterfaceFields {
                id: unless_rebuilt(&interface.id, rebuilt.id),
                subnet: unless_rebuilt(&Some(interface.subnet.clone()), subnet).flatten(),
                subnet_id: unless_rebuilt(&interface.subnet_id, rebuilt.subnet_id),
                availability_zone: unless_rebuilt(
                    &interface.availability_zone,
                    rebuilt.availability_zone,
                ),
                private_ip: interface.private_ip.clone(),
            })
        })
        .collect();
    let regional = Lookup::regional_name(resource, attributes.service_name.as_deref());
    let first = attributes.dns_names.first().map(|n| n.name.as_str());
    let dns_names = attributes
        .dns_names
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let rebuilt = match &name.availability_zone {
                None => regional.clone(),
                Some(zone) if index > 0 => first.and_then(|f| dns::zonal_name(f, zone)),
                Some(_) => None,
            };
            if rebuilt.as_ref() == Some(&name.name) {
                CompactDnsName::Rebuilt(name.availability_zone.clone())
            } else {
                CompactDnsName::Full(name.clone())
            }
        })
        .collect();
    let addresses = interface_addresses(&attributes.network_interfaces);
    let vpc = lookup.vpc(resource);
    let prefix_list = prefix_list(attributes.service_name.as_deref());
    CompactAttributes {
        arn: unless_rebuilt(&attributes.arn, Lookup::arn(resource)),
        vpc_id: unless_rebuilt(&attributes.vpc_id, lookup.vpc_id(attributes.vpc.as_deref())),
        vpc: unless_rebuilt(&attributes.vpc, vpc),
        service_name: unless_rebuilt(&attributes.service_name, Lookup::service_name(resource)),
        network_interfaces,
        dns_names,
        private_dns: attributes
            .private_dns
            .iter()
            .map(|record| CompactPrivateDns {
                name: record.name.clone(),
                addresses: unless_rebuilt(&record.addresses, addresses.clone()),
                inbound_resolver_only: record.inbound_resolver_only,
            })
            .collect(),
        prefix_list_routes: attributes
            .prefix_list_routes
            .iter()
            .map(|route| CompactRoute {
                route_table: route.route_table.clone(),
                route_table_id: unless_rebuilt(
                    &route.route_table_id,
                    lookup.id_of(&route.route_table),
                ),
                destination: unless_rebuilt(&Some(route.destination.clone()), prefix_list.clone())
                    .flatten(),
                target: unless_rebuilt(&route.target, resource.id.clone()),
            })
            .collect(),
    }
}

fn interface_addresses(interfaces: &[NetworkInterface]) -> Vec<String> {
    interfaces
        .iter()
        .filter_map(|n| n.private_ip.clone())
        .collect()
}

fn compact_rows<'a>(rows: impl Iterator<Item = &'a ReachRow>) -> Vec<ReachFrom> {
    let mut groups: Vec<ReachFrom> = Vec::new();
    for row in rows {
        let to = row.to.clone();
        let via = row.via.clone();
        let compact = match &row.accept_with {
            Some(accept) => {
                CompactRow::Full(to, row.verdict, via, row.reason.clone(), accept.clone())
            }
            None if rebuilt_reason(&row.via).as_ref() == Some(&row.reason) => {
                CompactRow::Rebuilt(to, row.verdict, via)
            }
            None => CompactRow::Reason(to, row.verdict, via, row.reason.clone()),
        };
        match groups.last_mut() {
            Some(group) if group.from == row.from => group.to.push(compact),
            _ => groups.push(ReachFrom {
                from: row.from.clone(),
                to: vec![compact],
            }),
        }
    }
    groups
}

/// The state a format 3 file holds, every left-out field rebuilt; an error names what
/// cannot be (a file vpce did not write).
pub fn expand(compact: CompactState) -> Result<State, String> {
    let CompactState {
        version,
        serial,
        vpce_version,
        account,
        region,
        types,
        resources,
        reachability,
    } = compact;
    // First every resource's own fields, then the attributes, which rebuild from other
    // resources' ids, addresses and properties.
    let mut expanded = Vec::with_capacity(resources.len());
    let mut attributes = Vec::with_capacity(resources.len());
    for resource in resources {
        let address = resource.address;
        let resource_type = types
            .get(resource.type_index)
            .ok_or_else(|| {
                format!(
                    "`{address}` has type {}, not an index into `types`",
                    resource.type_index
                )
            })?
            .clone();
        let region = resource
            .region
            .or_else(|| region.clone())
            .ok_or_else(|| format!("`{address}` has no region and the state names none"))?;
        let mut sim = SimResource {
            logical_id: resource
                .logical_id
                .unwrap_or_else(|| rebuilt_logical_id(&address)),
            address,
            resource_type,
            region,
            id: String::new(),
            generation: resource.generation,
            properties: resource.properties,
            attributes: Attributes::default(),
        };
        sim.id = match resource.id {
            Some(id) => id,
            None => rebuilt_id(&account, &sim).ok_or_else(|| {
                format!(
                    "`{}` has no id and type `{}` has none to rebuild",
                    sim.address, sim.resource_type
                )
            })?,
        };
        expanded.push(sim);
        attributes.push(resource.attributes);
    }
    let rebuilt: Vec<Attributes> = {
        let lookup = Lookup::new(&account, &expanded);
        expanded
            .iter()
            .zip(attributes)
            .map(|(resource, compact)| expand_attributes(&lookup, resource, compact))
            .collect::<Result<_, _>>()?
    };
    for (resource, attributes) in expanded.iter_mut().zip(rebuilt) {
        resource.attributes = attributes;
    }
    let mut rows = Vec::new();
    for group in reachability {
        for row in group.to {
            let (to, verdict, via, reason, accept_with) = match row {
                CompactRow::Rebuilt(to, verdict, via) => {
                    let reason = rebuilt_reason(&via).ok_or_else(|| {
                        format!("the row from `{}` to `{to}` has no reason", group.from)
                    })?;
                    (to, verdict, via, reason, None)
                }
                CompactRow::Reason(to, verdict, via, reason) => (to, verdict, via, reason, None),
                CompactRow::Full(to, verdict, via, reason, accept) => {
                    (to, verdict, via, reason, Some(accept))
                }
            };
            rows.push(ReachRow {
                from: group.from.clone(),
                to,
                verdict,
                via,
                reason,
                accept_with,
            });
        }
    }
    Ok(State {
        version,
        serial,
        vpce_version,
        snapshot: Snapshot {
            account,
            resources: expanded,
            reachability: rows,
        },
    })
}

fn expand_attributes(
    lookup: &Lookup<'_>,
    resource: &SimResource,
    compact: CompactAttributes,
) -> Result<Attributes, String> {
    let address = &resource.address;
    let vpc = compact.vpc.unwrap_or_else(|| lookup.vpc(resource));
    let vpc_id = compact
        .vpc_id
        .unwrap_or_else(|| lookup.vpc_id(vpc.as_deref()));
    let service_name = compact
        .service_name
        .unwrap_or_else(|| Lookup::service_name(resource));
    let subnets = lookup.subnets(resource);
    let network_interfaces = compact
        .network_interfaces
        .into_iter()
        .enumerate()
        .map(|(index, interface)| {
            let subnet = |given: Option<String>| {
                given
                    .or_else(|| subnets.get(index).cloned().flatten())
                    .ok_or_else(|| {
                        format!("network interface {index} of `{address}` has no subnet")
                    })
            };
            Ok(match interface {
                CompactInterface::Address(private_ip) => {
                    lookup.interface(resource, subnet(None)?, private_ip)
                }
                CompactInterface::Fields(fields) => {
                    let rebuilt = lookup.interface(resource, subnet(fields.subnet)?, None);
                    NetworkInterface {
                        id: fields.id.unwrap_or(rebuilt.id),
                        subnet: rebuilt.subnet,
                        subnet_id: fields.subnet_id.unwrap_or(rebuilt.subnet_id),
                        availability_zone: fields
                            .availability_zone
                            .unwrap_or(rebuilt.availability_zone),
                        private_ip: fields.private_ip,
                    }
                }
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let mut dns_names: Vec<DnsName> = Vec::with_capacity(compact.dns_names.len());
    for (index, name) in compact.dns_names.into_iter().enumerate() {
        let name = match name {
            CompactDnsName::Full(name) => name,
            CompactDnsName::Rebuilt(zone) => {
                let rebuilt = match &zone {
                    None => Lookup::regional_name(resource, service_name.as_deref()),
                    Some(zone) if index > 0 => dns::zonal_name(&dns_names[0].name, zone),
                    Some(_) => None,
                };
                DnsName {
                    name: rebuilt.ok_or_else(|| {
                        format!("DNS name {index} of `{address}` cannot be rebuilt")
                    })?,
                    availability_zone: zone,
                }
            }
        };
        dns_names.push(name);
    }
    let addresses = interface_addresses(&network_interfaces);
    let prefix_list = prefix_list(service_name.as_deref());
    Ok(Attributes {
        arn: compact.arn.unwrap_or_else(|| Lookup::arn(resource)),
        vpc,
        vpc_id,
        service_name,
        network_interfaces,
        dns_names,
        private_dns: compact
            .private_dns
            .into_iter()
            .map(|record| PrivateDnsRecord {
                name: record.name,
                addresses: record.addresses.unwrap_or_else(|| addresses.clone()),
                inbound_resolver_only: record.inbound_resolver_only,
            })
            .collect(),
        prefix_list_routes: compact
            .prefix_list_routes
            .into_iter()
            .map(|route| {
                Ok(PrefixListRoute {
                    route_table_id: route
                        .route_table_id
                        .unwrap_or_else(|| lookup.id_of(&route.route_table)),
                    destination: match route.destination {
                        Some(destination) => destination,
                        None => prefix_list
                            .clone()
                            .ok_or_else(|| format!("a route of `{address}` has no prefix list"))?,
                    },
                    target: route.target.unwrap_or_else(|| resource.id.clone()),
                    route_table: route.route_table,
                })
            })
            .collect::<Result<_, String>>()?,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use vpce_emit_plan::{Options, Previous};

    use super::*;
    use crate::config::{self, FsLoader};
    use crate::state::{parse, to_text};

    /// The state `apply` writes for `snapshot`, its text, and what reading it back gives.
    fn write_and_read(snapshot: Snapshot) -> (State, String, Result<State, String>) {
        let state = State {
            version: STATE_VERSION,
            serial: 7,
            vpce_version: "test".into(),
            snapshot,
        };
        let text = to_text(&state);
        let read = parse(Path::new("state.json"), text.as_bytes()).map_err(|e| e.to_string());
        (state, text, read)
    }

    fn written_and_read(snapshot: Snapshot) -> (State, String, State) {
        let (state, text, read) = write_and_read(snapshot);
        let read = read.unwrap_or_else(|e| panic!("{e}\n{text}"));
        (state, text, read)
    }

    /// The state as written keeps only the rows that carry traffic.
    fn carrying(mut state: State) -> State {
        state
            .snapshot
            .reachability
            .retain(|row| row.verdict.reaches());
        state
    }

    fn configurations() -> Vec<std::path::PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut dirs = Vec::new();
        for parent in ["examples", "tests/realworld"] {
            for entry in std::fs::read_dir(root.join(parent)).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                }
            }
        }
        dirs.sort();
        dirs
    }

    /// Every example and real-world configuration: its state reads back as written, and a
    /// plan against the state read back changes nothing.
    #[test]
    fn every_configurations_state_reads_back_exactly_and_plans_no_change() {
        let mut planned = 0;
        for dir in configurations() {
            let config = config::load(&dir, &[], &[]).unwrap();
            let loader = FsLoader {
                root: config.root.clone(),
            };
            let outcome = vpce_driver::check(&config.input, &loader).unwrap();
            let Ok(model) = outcome.valid_model() else {
                // A real-world configuration vpce rejects cannot be applied.
                assert!(dir.to_string_lossy().contains("realworld"), "{dir:?}");
                continue;
            };
            let (written, text, read) = written_and_read(vpce_emit_plan::simulate(&model));
            assert_eq!(read, carrying(written), "{dir:?}\n{text}");
            let plan =
                vpce_emit_plan::plan(&model, Previous::State(read.snapshot), &Options::default());
            assert!(!plan.summary().has_changes(), "{dir:?}");
            assert!(plan.diagnostics.is_empty(), "{dir:?}");
            planned += 1;
        }
        assert!(planned >= 12, "{planned}");
    }

    fn generated(endpoints: usize) -> Snapshot {
        let outcome = vpce_driver::check_text(&vpce_driver::generate::configuration(endpoints));
        vpce_emit_plan::simulate(&outcome.valid_model().expect("no errors"))
    }

    #[test]
    fn a_generated_state_is_at_most_600_bytes_a_resource() {
        let snapshot = generated(1_000);
        let resources = snapshot.resources.len();
        let (written, text, read) = written_and_read(snapshot);
        assert_eq!(read, carrying(written));
        // Measured: 465 bytes a resource (version 2: 1,226).
        assert!(text.len() / resources <= 600, "{}", text.len() / resources);
        // What is rebuilt is not written.
        for rebuilt in [
            "eni-",
            "\"logical_id\"",
            "\"subnet_id\"",
            "\"reason\"",
            "vpce.amazonaws.com",
        ] {
            assert!(!text.contains(rebuilt), "{rebuilt}");
        }
    }

    /// Interface endpoints with private DNS in three subnets each, gateway endpoints and
    /// rows that carry traffic (a generated configuration and the committed state of
    /// `examples/shared-services`): each case below breaks one thing the writer rebuilds.
    fn rich() -> Snapshot {
        let mut snapshot = generated(30);
        let shared =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/states/shared-services.v2.json");
        let shared = crate::state::read(&shared).unwrap().unwrap().snapshot;
        snapshot.resources.extend(shared.resources);
        snapshot.reachability.extend(shared.reachability);
        snapshot
    }

    fn gateway_route(snapshot: &mut Snapshot) -> &mut PrefixListRoute {
        snapshot
            .resources
            .iter_mut()
            .find_map(|r| r.attributes.prefix_list_routes.first_mut())
            .expect("a gateway endpoint's route")
    }

    /// A row the state keeps.
    fn row(snapshot: &mut Snapshot) -> &mut ReachRow {
        snapshot
            .reachability
            .iter_mut()
            .find(|r| r.verdict.reaches())
            .expect("a row that carries traffic")
    }

    fn endpoint(snapshot: &mut Snapshot) -> &mut SimResource {
        snapshot
            .resources
            .iter_mut()
            .find(|r| !r.attributes.dns_names.is_empty() && !r.attributes.private_dns.is_empty())
            .expect("an interface endpoint with private DNS")
    }

    /// Each case changes a value so that rebuilding it gives something else: the writer
    /// must keep it (a writer that left it out regardless would read back the rebuilt one).
    #[test]
    fn values_that_do_not_follow_the_rules_are_kept() {
        type Break = fn(&mut Snapshot);
        let cases: &[(&str, Break)] = &[
            ("a region of its own", |s| {
                s.resources[1].region = "us-east-2".into()
            }),
            ("every region differs", |s| {
                for (i, r) in s.resources.iter_mut().enumerate() {
                    r.region = format!("region-{}", i % 3);
                }
            }),
            ("a logical id not from the address", |s| {
                s.resources[0].logical_id = "Renamed".into()
            }),
            ("an id not from the hash", |s| {
                s.resources[0].id = "vpc-0123456789abcdef0".into()
            }),
            ("a type without an id prefix", |s| {
                s.resources[0].resource_type = "AWS::Custom::Thing".into()
            }),
            ("a later generation's id", |s| s.resources[0].generation = 2),
            ("a VPC that is not the reference", |s| {
                endpoint(s).attributes.vpc = Some("vpc.elsewhere".into())
            }),
            ("no VPC where one is referenced", |s| {
                endpoint(s).attributes.vpc = None
            }),
            ("a VPC id of another VPC", |s| {
                endpoint(s).attributes.vpc_id = Some("vpc-0aaaaaaaaaaaaaaaa".into())
            }),
            ("another service name", |s| {
                endpoint(s).attributes.service_name = Some("com.example.other".into())
            }),
            ("an ARN where none is rebuilt", |s| {
                s.resources[0].attributes.arn = Some("arn:aws:x".into())
            }),
            ("an interface's subnet outside the state", |s| {
                let interface = &mut endpoint(s).attributes.network_interfaces[0];
                interface.subnet = "subnet.not_here".into();
                interface.subnet_id = "subnet-0fffffffffffffff0".into();
            }),
            ("an interface's other id", |s| {
                endpoint(s).attributes.network_interfaces[1].id = "eni-0".into()
            }),
            ("an interface's subnet id", |s| {
                endpoint(s).attributes.network_interfaces[1].subnet_id = "subnet-1".into()
            }),
            ("an interface without its subnet's AZ", |s| {
                endpoint(s).attributes.network_interfaces[0].availability_zone = None
            }),
            ("an interface without an address", |s| {
                endpoint(s).attributes.network_interfaces[0].private_ip = None
            }),
            ("more interfaces than subnets", |s| {
                let interfaces = &mut endpoint(s).attributes.network_interfaces;
                interfaces.push(interfaces[0].clone());
            }),
            ("interfaces in another order", |s| {
                endpoint(s).attributes.network_interfaces.reverse()
            }),
            ("a regional name of another pattern", |s| {
                endpoint(s).attributes.dns_names[0].name = "api.example.com".into()
            }),
            ("a zonal name of another pattern", |s| {
                endpoint(s).attributes.dns_names[1].name = "zonal.example.com".into()
            }),
            ("a zonal name first", |s| {
                endpoint(s).attributes.dns_names.reverse()
            }),
            ("private DNS on addresses not the interfaces'", |s| {
                endpoint(s).attributes.private_dns[0].addresses = vec!["10.9.9.9".into()]
            }),
            ("private DNS for the inbound resolver only", |s| {
                endpoint(s).attributes.private_dns[0].inbound_resolver_only = true
            }),
            ("a route's table id not the table's", |s| {
                gateway_route(s).route_table_id = "rtb-0".into()
            }),
            ("a route table outside the state", |s| {
                let route = gateway_route(s);
                route.route_table = "rtb-0123".into();
                route.route_table_id = "rtb-0123".into();
            }),
            ("a route to another prefix list", |s| {
                gateway_route(s).destination = "pl-00000000".into()
            }),
            ("a route to another target", |s| {
                gateway_route(s).target = "vpce-0".into()
            }),
            ("a reason not from the path", |s| {
                row(s).reason = "because".into()
            }),
            ("a reason without a path", |s| row(s).via.clear()),
            ("a row with an acceptance command", |s| {
                row(s).accept_with = Some("aws ec2 accept".into())
            }),
            ("rows from one source apart", |s| {
                let first = s
                    .reachability
                    .iter()
                    .position(|r| r.verdict.reaches())
                    .unwrap();
                let moved = s.reachability.remove(first);
                s.reachability.push(moved);
            }),
        ];
        let original = rich();
        let mut differ = Vec::new();
        for (name, break_it) in cases {
            let mut snapshot = original.clone();
            break_it(&mut snapshot);
            assert_ne!(snapshot, original, "{name}: nothing changed");
            let (state, _, read) = write_and_read(snapshot);
            match read {
                Ok(read) if read == carrying(state) => {}
                Ok(_) => differ.push(format!("{name}: read back differs")),
                Err(error) => differ.push(format!("{name}: {error}")),
            }
        }
        assert!(differ.is_empty(), "{differ:#?}");
    }

    #[test]
    fn an_empty_state_reads_back() {
        let (written, _, read) = written_and_read(Snapshot {
            account: "000000000000".into(),
            resources: Vec::new(),
            reachability: Vec::new(),
        });
        assert_eq!(read, written);
    }

    #[test]
    fn what_cannot_be_rebuilt_is_a_corrupt_state() {
        let (_, text, _) = written_and_read(rich());
        for (from, to, expected) in [
            ("\"type\":0", "\"type\":99", "not an index into `types`"),
            ("\"region\":\"eu-west-1\",", "", "has no region"),
            (
                "\"dns_names\":[null,",
                "\"dns_names\":[\"eu-west-1a\",",
                "cannot be rebuilt",
            ),
            (
                "\"network_interfaces\":[",
                "\"network_interfaces\":[null,",
                "has no subnet",
            ),
            (
                "\"private\",[\"endpoint.v0_ec2messages\"]",
                "\"private\",[]",
                "has no reason",
            ),
            (
                "\"types\":[\"AWS::EC2::VPC\"",
                "\"types\":[\"AWS::Custom::Thing\"",
                "has no id and type",
            ),
        ] {
            let broken = text.replacen(from, to, 1);
            assert_ne!(broken, text, "{from}");
            let error = parse(Path::new("s.json"), broken.as_bytes())
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{error}");
        }
    }
}
