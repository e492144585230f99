//! A simulation of a configuration: every CloudFormation resource with its body, its
//! simulated id and its computed attributes (network interfaces, DNS names, prefix-list
//! routes), the dependency graph, reachability and expectations. With a previous
//! snapshot, the resources' actions are decided first (so a replaced resource gets a
//! new id) and network interfaces that survive keep their addresses.

use std::{collections::HashMap, net::Ipv4Addr};

use serde_json::Value;
use vpce_model::{
    resources::{Resource, Role},
    service::Service,
    EndpointType, Id, Kind, LoadBalancerType, Model, ObjRef, ValidModel, Vpc,
};
use vpce_reach::{destination_address, source_address};

use crate::{
    diff, dns,
    eni::{self, Request},
    ids::{self, Key},
    waves, Action, Attributes, DnsName, Expectation, NetworkInterface, PrefixListRoute,
    PrivateDnsRecord, ReachRow, ResourceChange, SimResource, Snapshot, Verdict, DEFAULT_ACCOUNT,
};

/// A simulation and, against a previous snapshot, each resource's action.
pub(crate) struct Simulated {
    pub snapshot: Snapshot,
    /// One per resource of `snapshot` (same index), then deletions.
    pub changes: Vec<ResourceChange>,
    /// The resources each resource refers to (indices).
    pub deps: Vec<Vec<usize>>,
    /// Topological level of each resource (0: depends on nothing).
    pub levels: Vec<usize>,
    pub expectations: Vec<Expectation>,
    /// The object each resource of `snapshot` belongs to (same index).
    pub owners: Vec<ObjRef>,
}

/// The VPC an object belongs to.
fn vpc_of(model: &Model, obj: ObjRef) -> Option<Id<Vpc>> {
    let index = obj.index as usize;
    match obj.kind {
        Kind::Vpc => Some(Id::new(index)),
        Kind::Subnet => model.subnets[Id::new(index)].vpc,
        Kind::RouteTable => model.route_tables[Id::new(index)].vpc,
        Kind::InternetGateway => model.internet_gateways[Id::new(index)].vpc,
        Kind::NatGateway => model.nat_gateways[Id::new(index)]
            .subnet
            .and_then(|s| model.subnets[s].vpc),
        Kind::SecurityGroup => model.security_groups[Id::new(index)].vpc,
        Kind::LoadBalancer => model.load_balancers[Id::new(index)]
            .subnets
            .first()
            .and_then(|s| model.subnets[s.value].vpc),
        Kind::Endpoint => model.endpoints[Id::new(index)].vpc,
        Kind::EndpointService => model.endpoint_services[Id::new(index)]
            .load_balancers
            .first()
            .and_then(|lb| vpc_of(model, lb.value.obj_ref())),
        Kind::RemoteNetwork => model.remote_networks[Id::new(index)].vpc,
        Kind::Expect => None,
    }
}

/// The region an object is in: its VPC's, else the configuration's.
fn region_of(model: &Model, obj: ObjRef) -> String {
    vpc_of(model, obj)
        .and_then(|vpc| model.vpc_region(vpc))
        .or(model.region.as_ref())
        .map_or_else(|| "us-east-1".to_string(), |r| r.value.clone())
}

/// The partition of a region (`aws`, `aws-cn`, `aws-us-gov`).
pub(crate) fn partition(region: &str) -> &'static str {
    vpce_data::region(region).map_or("aws", |r| match r.partition.as_str() {
        "aws-cn" => "aws-cn",
        "aws-us-gov" => "aws-us-gov",
        _ => "aws",
    })
}

/// The id a property value stands for: a literal, or the id of the resource a
/// `Ref`/`Fn::GetAtt` names (its `GroupId`, `AllocationId` and `Id` are its id).
pub(crate) fn resolve(value: &Value, ids: &HashMap<&str, &str>) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Object(map) => {
            if let Some(Value::String(logical)) = map.get("Ref") {
                return ids.get(logical.as_str()).map(|id| id.to_string());
            }
            let target = map.get("Fn::GetAtt")?.get(0)?.as_str()?;
            ids.get(target).map(|id| id.to_string())
        }
        _ => None,
    }
}

/// `planned` is false for a simulation that is only compared with (the older
/// configuration of `--against`, or `vpce_emit_plan::simulate`): its expectations, its
/// dependency graph and its creation waves are never shown, so they are not computed
/// (`expectations`, `deps` and `levels` are empty).
pub(crate) fn simulate(
    model: &ValidModel,
    previous: Option<&Snapshot>,
    planned: bool,
) -> Simulated {
    let account = model
        .account
        .as_ref()
        .map_or_else(|| DEFAULT_ACCOUNT.to_string(), |a| a.value.clone());
    let resources = vpce_model::resources::resources(model);
    let mut sims = Vec::with_capacity(resources.len());
    let mut bodies = Vec::with_capacity(resources.len());
    for resource in &resources {
        let mut body = vpce_emit_cfn::resource_body(model, resource);
        let properties = body
            .get_mut("Properties")
            .map(Value::take)
            .unwrap_or_default();
        sims.push(SimResource {
            address: resource.address(model),
            resource_type: resource.resource_type.to_string(),
            logical_id: resource.logical_id.clone(),
            region: region_of(model, resource.owner),
            id: String::new(),
            generation: 0,
            properties,
            attributes: Attributes::default(),
        });
        bodies.push(body);
    }

    // The dependency graph, from the bodies' references.
    let by_logical: HashMap<&str, usize> = sims
        .iter()
        .enumerate()
        .map(|(i, s)| (s.logical_id.as_str(), i))
        .collect();
    let deps: Vec<Vec<usize>> = sims
        .iter()
        .zip(&bodies)
        // Comparing with a previous snapshot orders by level, so it needs the graph too.
        .take(if planned || previous.is_some() {
            sims.len()
        } else {
            0
        })
        .map(|(sim, body)| {
            let mut refs = Vec::new();
            diff::collect_refs(&sim.properties, "", &mut refs);
            diff::collect_refs(body, "", &mut refs);
            let mut indices: Vec<usize> = refs
                .iter()
                .filter_map(|(_, logical)| by_logical.get(logical.as_str()).copied())
                .collect();
            indices.sort_unstable();
            indices.dedup();
            indices
        })
        .collect();
    drop(bodies);
    let levels = waves::levels(&deps);

    let mut changes = diff::compare(&sims, &levels, previous, &account);
    for change in &changes {
        if let (Some(new), Some(old), Some(previous)) = (change.new, change.old, previous) {
            let generation = previous.resources[old].generation;
            sims[new].generation = match change.action {
                Action::Replace => generation.saturating_add(1),
                _ => generation,
            };
        }
    }
    assign_ids(&mut sims, &account);
    attributes(model, &resources, &mut sims, &account, previous, &changes);
    for change in &mut changes {
        change.id = change.new.map(|i| sims[i].id.clone());
        change.previous_id = change
            .old
            .and_then(|i| previous.map(|p| p.resources[i].id.clone()));
    }

    let network = vpce_reach::Network::new(model);
    let reachability = reachability(&network, &sims);
    let expectations = if planned {
        expectations(&network)
    } else {
        Vec::new()
    };
    Simulated {
        snapshot: Snapshot {
            account,
            resources: sims,
            reachability,
        },
        changes,
        deps,
        levels,
        expectations,
        owners: resources.iter().map(|r| r.owner).collect(),
    }
}

fn assign_ids(sims: &mut [SimResource], account: &str) {
    // Resources with an id of their own first; then those whose id is made of others'.
    for sim in sims.iter_mut() {
        let key = Key {
            account,
            region: &sim.region,
            address: &sim.address,
            generation: sim.generation,
        };
        if let Some(prefix) = ids::prefix(&sim.resource_type) {
            sim.id = key.id(prefix);
        } else if sim.resource_type == "AWS::ElasticLoadBalancingV2::LoadBalancer" {
            let kind = match sim.properties.get("Type").and_then(Value::as_str) {
                Some(kind) if kind == LoadBalancerType::Gateway.as_str() => "gwy",
                _ => "net",
            };
            let name: String = sim.logical_id.chars().take(32).collect();
            sim.id = format!(
                "arn:{}:elasticloadbalancing:{}:{account}:loadbalancer/{kind}/{name}/{}",
                partition(&sim.region),
                sim.region,
                key.hex(&[], 16)
            );
        } else if sim.resource_type == "AWS::ElasticLoadBalancingV2::TargetGroup" {
            let name: String = sim.logical_id.chars().take(32).collect();
            sim.id = format!(
                "arn:{}:elasticloadbalancing:{}:{account}:targetgroup/{name}/{}",
                partition(&sim.region),
                sim.region,
                key.hex(&[], 16)
            );
        }
    }
    let known: HashMap<String, String> = sims
        .iter()
        .filter(|s| !s.id.is_empty())
        .map(|s| (s.logical_id.clone(), s.id.clone()))
        .collect();
    let ids: HashMap<&str, &str> = known
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    for sim in sims.iter_mut().filter(|s| s.id.is_empty()) {
        let get = |key: &str| {
            sim.properties
                .get(key)
                .and_then(|v| resolve(v, &ids))
                .unwrap_or_default()
        };
        sim.id = match sim.resource_type.as_str() {
            // The primary identifier is the table and the destination (CloudFormation's
            // `Ref` of a route is "the name of the route", format UNCONFIRMED).
            "AWS::EC2::Route" => {
                let destination = sim
                    .properties
                    .get("DestinationCidrBlock")
                    .or_else(|| sim.properties.get("DestinationIpv6CidrBlock"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                format!("{}|{destination}", get("RouteTableId"))
            }
            // UNCONFIRMED: the attachment's `Ref`; the pair identifies it.
            "AWS::EC2::VPCGatewayAttachment" => {
                format!("{}|{}", get("InternetGatewayId"), get("VpcId"))
            }
            // `Ref` returns the service id.
            "AWS::EC2::VPCEndpointServicePermissions" => get("ServiceId"),
            // A listener's ARN is its load balancer's with `listener/` and an id of its own.
            "AWS::ElasticLoadBalancingV2::Listener" => {
                let key = Key {
                    account,
                    region: &sim.region,
                    address: &sim.address,
                    generation: sim.generation,
                };
                format!(
                    "{}/{}",
                    get("LoadBalancerArn").replacen(":loadbalancer/", ":listener/", 1),
                    key.hex(&[], 16)
                )
            }
            _ => {
                let key = Key {
                    account,
                    region: &sim.region,
                    address: &sim.address,
                    generation: sim.generation,
                };
                format!("res-{}", key.hex(&[], 17))
            }
        };
    }
}

/// Addresses and ids of the simulated resources, for resolving references.
struct Index<'a> {
    by_logical: HashMap<&'a str, &'a str>,
    address_by_logical: HashMap<&'a str, &'a str>,
}

fn attributes(
    model: &Model,
    resources: &[Resource],
    sims: &mut [SimResource],
    account: &str,
    previous: Option<&Snapshot>,
    changes: &[ResourceChange],
) {
    let computed = {
        let index = Index {
            by_logical: sims
                .iter()
                .map(|s| (s.logical_id.as_str(), s.id.as_str()))
                .collect(),
            address_by_logical: sims
                .iter()
                .map(|s| (s.logical_id.as_str(), s.address.as_str()))
                .collect(),
        };
        compute_attributes(model, resources, sims, account, previous, changes, &index)
    };
    for (sim, attributes) in sims.iter_mut().zip(computed) {
        sim.attributes = attributes;
    }
}

#[allow(clippy::too_many_arguments)]
fn compute_attributes(
    model: &Model,
    resources: &[Resource],
    sims: &[SimResource],
    account: &str,
    previous: Option<&Snapshot>,
    changes: &[ResourceChange],
    index: &Index<'_>,
) -> Vec<Attributes> {
    let mut out = vec![Attributes::default(); sims.len()];
    let by_address: HashMap<&str, usize> = sims
        .iter()
        .enumerate()
        .map(|(i, s)| (s.address.as_str(), i))
        .collect();
    // Whether a resource keeps its physical identity (so its interfaces keep their
    // addresses): unchanged or updated in place.
    let survives = |i: usize| {
        previous.is_some() && matches!(changes[i].action, Action::Unchanged | Action::Update)
    };
    let subnet_survives = |subnet: Id<vpce_model::Subnet>| {
        let address = model.address(subnet.obj_ref());
        by_address
            .get(address.as_str())
            .is_none_or(|&i| survives(i))
    };

    // Network interfaces: who needs one in which subnet, in resource order.
    let mut requests: Vec<Request> = Vec::new();
    for (i, resource) in resources.iter().enumerate() {
        if resource.role != Role::Main {
            continue;
        }
        let obj = resource.owner;
        let index_of = obj.index as usize;
        let (subnets, explicit): (Vec<Id<vpce_model::Subnet>>, Option<Ipv4Addr>) = match obj.kind {
            Kind::Endpoint => {
                let endpoint = &model.endpoints[Id::new(index_of)];
                match endpoint.endpoint_type.as_ref().map(|t| t.value) {
                    Some(EndpointType::Interface | EndpointType::GatewayLoadBalancer) => {
                        (endpoint.subnets.iter().map(|s| s.value).collect(), None)
                    }
                    _ => (Vec::new(), None),
                }
            }
            Kind::NatGateway => {
                let nat = &model.nat_gateways[Id::new(index_of)];
                let explicit = nat
                    .private_ip
                    .as_ref()
                    .and_then(|ip| ip.value.trim().parse().ok());
                (nat.subnet.into_iter().collect(), explicit)
            }
            Kind::LoadBalancer => {
                let lb = &model.load_balancers[Id::new(index_of)];
                (lb.subnets.iter().map(|s| s.value).collect(), None)
            }
            _ => continue,
        };
        for subnet in subnets {
            let subnet_address = model.address(subnet.obj_ref());
            let carried = (survives(i) && subnet_survives(subnet))
                .then(|| {
                    let old = &previous?.resources[changes[i].old?];
                    old.attributes
                        .network_interfaces
                        .iter()
                        .find(|n| n.subnet == subnet_address)?
                        .private_ip
                        .as_ref()?
                        .parse()
                        .ok()
                })
                .flatten();
            requests.push(Request {
                resource: i,
                subnet,
                explicit,
                carried,
            });
        }
    }
    // Interfaces of replaced and deleted resources still hold their addresses while the
    // new ones are created.
    let mut blocked = Vec::new();
    if let Some(previous) = previous {
        for change in changes
            .iter()
            .filter(|c| matches!(c.action, Action::Replace | Action::Delete))
        {
            let Some(old) = change.old.map(|j| &previous.resources[j]) else {
                continue;
            };
            for interface in &old.attributes.network_interfaces {
                let subnet = interface
                    .subnet
                    .strip_prefix("subnet.")
                    .and_then(|name| model.subnets.get(name))
                    .map(|(id, _)| id);
                let address = interface.private_ip.as_deref().and_then(|a| a.parse().ok());
                if let (Some(subnet), Some(address)) = (subnet, address) {
                    if subnet_survives(subnet) {
                        blocked.push((subnet, address));
                    }
                }
            }
        }
    }
    let addresses = eni::allocate(model, &requests, &blocked);
    for (request, address) in requests.iter().zip(addresses) {
        let sim = &sims[request.resource];
        let subnet = &model.subnets[request.subnet];
        let subnet_address = model.address(request.subnet.obj_ref());
        let key = Key {
            account,
            region: &sim.region,
            address: &sim.address,
            generation: sim.generation,
        };
        let subnet_id = match &subnet.common.existing {
            Some(id) => id.value.clone(),
            None => by_address
                .get(subnet_address.as_str())
                .map(|&i| sims[i].id.clone())
                .unwrap_or_default(),
        };
        out[request.resource]
            .network_interfaces
            .push(NetworkInterface {
                id: key.network_interface_id(&subnet_address),
                subnet: subnet_address,
                subnet_id,
                availability_zone: subnet.az.as_ref().map(|a| a.value.text.clone()),
                private_ip: address.map(|a| a.to_string()),
            });
    }

    for (i, resource) in resources.iter().enumerate() {
        if resource.role != Role::Main {
            continue;
        }
        let sim = &sims[i];
        let obj = resource.owner;
        match obj.kind {
            Kind::Endpoint => {
                endpoint_attributes(model, obj, sim, index, &mut out[i]);
            }
            Kind::EndpointService => {
                out[i].service_name = Some(dns::endpoint_service_name(&sim.region, &sim.id));
                out[i].dns_names.push(DnsName {
                    name: dns::endpoint_service_dns_name(&sim.id, &sim.region),
                    availability_zone: None,
                });
            }
            Kind::LoadBalancer => out[i].arn = Some(sim.id.clone()),
            _ => {}
        }
    }
    out
}

fn endpoint_attributes(
    model: &Model,
    obj: ObjRef,
    sim: &SimResource,
    index: &Index<'_>,
    out: &mut Attributes,
) {
    let endpoint = &model.endpoints[Id::new(obj.index as usize)];
    let properties = &sim.properties;
    if let Some(vpc) = properties.get("VpcId") {
        out.vpc_id = resolve(vpc, &index.by_logical);
        out.vpc = match vpc.get("Ref").and_then(Value::as_str) {
            Some(logical) => index.address_by_logical.get(logical).map(|a| a.to_string()),
            None => vpc.as_str().map(str::to_string),
        };
    }
    let resolved = endpoint.resolved_service.as_ref();
    // The service's name and the label and region its endpoints' DNS names use.
    let (service_name, label, dns_region) = match &resolved {
        Some(Service::Aws {
            name,
            region,
            full_name,
            ..
        }) => (
            Some(full_name.clone()),
            Some(dns::service_label(name)),
            region.clone(),
        ),
        Some(Service::Local(id)) => {
            let service = &model.endpoint_services[*id];
            let service_id = match &service.common.existing {
                Some(existing) => Some(existing.value.clone()),
                None => {
                    let logical = vpce_model::logical_id::logical_id(
                        Kind::EndpointService,
                        &service.common.name,
                    );
                    index
                        .by_logical
                        .get(logical.as_str())
                        .map(|s| s.to_string())
                }
            };
            let region = region_of(model, id.obj_ref());
            (
                service_id
                    .as_ref()
                    .map(|s| dns::endpoint_service_name(&region, s)),
                service_id,
                region,
            )
        }
        Some(Service::Foreign { region, name }) => (
            Some(name.clone()),
            name.rsplit('.').next().map(str::to_string),
            region.clone(),
        ),
        None => (None, None, sim.region.clone()),
    };
    out.service_name = service_name;
    let kind = properties
        .get("VpcEndpointType")
        .and_then(Value::as_str)
        .and_then(EndpointType::from_cloudformation_name);
    match kind {
        Some(EndpointType::Interface) => {
            if let Some(label) = &label {
                let azs: Vec<Option<String>> = endpoint
                    .subnets
                    .iter()
                    .map(|s| Some(model.subnets[s.value].az.as_ref()?.value.name().to_string()))
                    .collect();
                out.dns_names = dns::endpoint_names(&sim.id, label, &dns_region, &azs);
            }
            let private_dns = properties
                .get("PrivateDnsEnabled")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if private_dns {
                let name = match &resolved {
                    Some(Service::Aws {
                        name,
                        region,
                        catalogue,
                        ..
                    }) => catalogue
                        .and_then(|c| c.private_dns_name(region))
                        .or_else(|| Some(format!("{name}.{region}.amazonaws.com"))),
                    Some(Service::Local(id)) => model.endpoint_services[*id]
                        .private_dns_name
                        .as_ref()
                        .map(|n| n.value.clone()),
                    // Another account's service: its private DNS name is not known here.
                    _ => None,
                };
                if let Some(name) = name {
                    out.private_dns.push(PrivateDnsRecord {
                        name,
                        addresses: out
                            .network_interfaces
                            .iter()
                            .filter_map(|n| n.private_ip.clone())
                            .collect(),
                        inbound_resolver_only: endpoint
                            .private_dns_only_for_inbound_resolver
                            .as_ref()
                            .is_some_and(|o| o.value),
                    });
                }
            }
        }
        Some(EndpointType::Gateway) => {
            let service = match &resolved {
                Some(Service::Aws { name, .. }) => name.clone(),
                _ => String::new(),
            };
            let prefix_list = ids::prefix_list_id(&dns_region, &service);
            let tables = properties
                .get("RouteTableIds")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for table in &tables {
                let table_id = resolve(table, &index.by_logical).unwrap_or_default();
                let route_table = match table.get("Ref").and_then(Value::as_str) {
                    Some(logical) => index
                        .address_by_logical
                        .get(logical)
                        .map_or_else(|| table_id.clone(), |a| a.to_string()),
                    None => table_id.clone(),
                };
                out.prefix_list_routes.push(PrefixListRoute {
                    route_table,
                    route_table_id: table_id,
                    destination: prefix_list.clone(),
                    target: sim.id.clone(),
                });
            }
        }
        _ => {}
    }
}

/// `aws ec2 accept-vpc-endpoint-connections` for a pending connection, with the
/// simulated ids of the endpoint service and the endpoint.
fn accept_command(model: &Model, sims: &[SimResource], path: &vpce_reach::Reach) -> Option<String> {
    let (endpoint, service) = path.awaiting?;
    let id_of = |address: String| {
        sims.iter()
            .find(|r| r.address == address)
            .map(|r| r.id.clone())
    };
    Some(format!(
        "aws ec2 accept-vpc-endpoint-connections --service-id {} --vpc-endpoint-ids {}",
        id_of(model.address(service.obj_ref()))?,
        id_of(model.address(endpoint.obj_ref()))?
    ))
}

fn reachability(network: &vpce_reach::Network<'_>, sims: &[SimResource]) -> Vec<ReachRow> {
    let model = network.model;
    let destinations = vpce_reach::destinations(model);
    let mut rows = Vec::new();
    for source in vpce_reach::sources(model) {
        let from = source_address(model, source);
        for destination in &destinations {
            let path = network.reach(source, destination);
            rows.push(ReachRow {
                from: from.clone(),
                to: destination_address(model, destination),
                verdict: path.verdict,
                via: path.via.iter().map(|o| model.address(*o)).collect(),
                accept_with: accept_command(model, sims, &path),
                reason: path.reason,
            });
        }
    }
    rows
}

/// Paths in a model, asked for by the addresses of an older plan's rows (also to a
/// destination the configuration no longer uses). The network index and the tables of
/// sources and endpoint services by address are built once, so asking for every row is
/// linear; objects are found by their address as the model gives it (module and
/// `for_each` addresses included), never by taking it apart.
pub(crate) struct RowPaths<'m> {
    network: vpce_reach::Network<'m>,
    sources: HashMap<String, vpce_reach::Source>,
    services: HashMap<String, vpce_model::Id<vpce_model::EndpointService>>,
}

impl<'m> RowPaths<'m> {
    pub(crate) fn new(model: &'m Model) -> RowPaths<'m> {
        RowPaths {
            network: vpce_reach::Network::new(model),
            sources: vpce_reach::sources(model)
                .into_iter()
                .map(|source| (source_address(model, source), source))
                .collect(),
            services: model
                .endpoint_services
                .iter()
                .map(|(id, _)| (model.address(id.obj_ref()), id))
                .collect(),
        }
    }

    /// The path from `from` to `to`; `None` when the source is gone.
    pub(crate) fn between(&self, from: &str, to: &str) -> Option<ReachRow> {
        let model = self.network.model;
        let source = *self.sources.get(from)?;
        let destination = match self.services.get(to) {
            _ if to == "internet" => vpce_reach::Destination::Internet,
            Some(id) => vpce_reach::Destination::EndpointService(*id),
            None => vpce_reach::Destination::Service(to.to_string()),
        };
        let path = self.network.reach(source, &destination);
        Some(ReachRow {
            from: from.to_string(),
            to: to.to_string(),
            verdict: path.verdict,
            via: path.via.iter().map(|o| model.address(*o)).collect(),
            reason: path.reason,
            accept_with: None,
        })
    }
}

/// "privately through `endpoint.s3`", "over the internet through `internet_gateway.main`".
pub(crate) fn describe_path(verdict: Verdict, via: &[String], reason: &str) -> String {
    let through = via
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    vpce_reach::describe(verdict, &through, reason)
}

/// Every expectation, judged by `vpce_reach::judge` as `vpce check` judges it.
fn expectations(network: &vpce_reach::Network<'_>) -> Vec<Expectation> {
    let model = network.model;
    model
        .expects
        .iter()
        .filter_map(|(_, expect)| {
            let judgement = vpce_reach::judge(network, expect)?;
            Some(Expectation {
                name: expect.common.name.clone(),
                message: judgement.message(model),
                outcome: judgement.outcome(),
                verdict: judgement.path.verdict,
                from: judgement.from,
                to: judgement.to,
            })
        })
        .collect()
}
