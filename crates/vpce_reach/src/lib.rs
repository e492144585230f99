//! Reachability: for a subnet or remote network and a destination (an AWS service, an
//! endpoint service of the configuration, or the internet), whether a request gets
//! there privately (through which endpoint), publicly (through which gateway), or not at
//! all (it would time out), honouring route tables, security groups (TCP 443), private
//! DNS, gateway endpoints' same-VPC limit, gateway load balancer inspection hops and a
//! remote network's return route. A path through an endpoint that awaits acceptance is
//! `pending`, one refused by the endpoint's policy is `denied`, and one that depends on
//! the routing of an existing subnet whose route table is not described is `unknown`.
//!
//! [`judge`] judges an `expect` block: the one judgement that the V900-V903 rules and
//! the plan both report. Pure: no IO.

mod judge;

pub use judge::{describe, judge, Finding, Judgement, Outcome};

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use vpce_model::{
    policy::{self, AllowsNothing},
    service::{self, Service, ServicePorts, Transport},
    Endpoint, EndpointService, EndpointType, Id, Kind, Model, ObjRef, RemoteNetwork, RouteTable,
    SecurityGroup, Subnet, Vpc,
};

/// Where a request starts.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Subnet(Id<Subnet>),
    Remote(Id<RemoteNetwork>),
}

/// Where it goes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Destination {
    Internet,
    /// An AWS service: a short name (`s3`, in the source's region) or a full name
    /// (`com.amazonaws.us-east-1.s3`).
    Service(String),
    EndpointService(Id<EndpointService>),
}

/// How a request gets to its destination: the one verdict type of reachability, of the
/// `expect` rules and of the plan.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The request stays on the AWS network (through an endpoint).
    Private,
    /// The request leaves through an internet or NAT gateway.
    Public,
    /// The path goes through an endpoint whose connection awaits the endpoint service
    /// owner's acceptance: nothing passes until then.
    Pending,
    /// The path exists, but the endpoint's policy allows no action of its service: every
    /// request is refused.
    Denied,
    /// No path: the request would time out.
    Unreachable,
    /// Not known: the path depends on the routing of an existing subnet whose route table
    /// the configuration does not describe.
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Private => "private",
            Verdict::Public => "public",
            Verdict::Pending => "pending",
            Verdict::Denied => "denied",
            Verdict::Unreachable => "unreachable",
            Verdict::Unknown => "unknown",
        }
    }

    /// Whether requests get through now (privately or publicly).
    pub fn reaches(self) -> bool {
        matches!(self, Verdict::Private | Verdict::Public)
    }
}

/// The result for one source and destination.
#[derive(Clone, Debug, PartialEq)]
pub struct Reach {
    pub verdict: Verdict,
    /// The objects the request passes through, in order (endpoints, gateways).
    pub via: Vec<ObjRef>,
    /// An interface endpoint that would serve the request privately, but only through
    /// its own DNS name because its private DNS is off (V903).
    pub endpoint_dns_only: Option<Id<Endpoint>>,
    /// Why, in words, for messages: "no route to an internet or NAT gateway".
    pub reason: String,
    /// A gateway endpoint that would serve the request but cannot, because the request
    /// comes from outside its VPC.
    pub refused_by_gateway: Option<Id<Endpoint>>,
    /// For `pending`: the endpoint whose connection awaits acceptance, and the endpoint
    /// service (of this configuration) whose owner must accept it.
    pub awaiting: Option<(Id<Endpoint>, Id<EndpointService>)>,
}

impl Reach {
    fn new(verdict: Verdict, via: Vec<ObjRef>, reason: impl Into<String>) -> Reach {
        Reach {
            verdict,
            via,
            endpoint_dns_only: None,
            reason: reason.into(),
            refused_by_gateway: None,
            awaiting: None,
        }
    }

    fn private(via: Vec<ObjRef>, reason: String) -> Reach {
        Reach::new(Verdict::Private, via, reason)
    }

    fn unreachable(reason: impl Into<String>) -> Reach {
        Reach::new(Verdict::Unreachable, Vec::new(), reason)
    }
}

/// The path through `id`, an endpoint that serves the request: `pending` while its
/// connection awaits acceptance, `denied` when its policy allows nothing of its service,
/// else `private`.
fn through_endpoint(model: &Model, id: Id<Endpoint>) -> Reach {
    let endpoint = &model.endpoints[id];
    let address = model.address(id.obj_ref());
    if let Some(service) = service::awaits_acceptance(model, endpoint) {
        return Reach {
            awaiting: Some((id, service)),
            ..Reach::new(
                Verdict::Pending,
                vec![id.obj_ref()],
                pending_reason(model, id, service),
            )
        };
    }
    if let Some(why) = policy::allows_nothing(endpoint) {
        let what = match why {
            AllowsNothing::NoAllow => "allows nothing (no `Allow` statement)".to_string(),
            AllowsNothing::OnlyOtherServices { service } => {
                format!("allows no action of `{service}`")
            }
        };
        return Reach::new(
            Verdict::Denied,
            vec![id.obj_ref()],
            format!("the policy of `{address}` {what}"),
        );
    }
    Reach::private(vec![id.obj_ref()], format!("through `{address}`"))
}

/// Who must accept a pending connection, and how.
fn pending_reason(model: &Model, endpoint: Id<Endpoint>, service: Id<EndpointService>) -> String {
    format!(
        "`{}` awaits acceptance by the owner of `{}`, a service of this configuration: accept it with `aws ec2 accept-vpc-endpoint-connections`",
        model.address(endpoint.obj_ref()),
        model.address(service.obj_ref())
    )
}

/// A public address of AWS, to match routes for traffic that leaves the VPC.
const PUBLIC: Ipv4Addr = Ipv4Addr::new(52, 94, 0, 1);

/// The route table a subnet uses: its own, or the VPC's main table (modelled as holding
/// only the local route).
fn table_of(model: &Model, subnet: Id<Subnet>) -> Option<Id<RouteTable>> {
    model.subnets[subnet].route_table.as_ref().map(|t| t.value)
}

/// The target of the most specific route of a table that covers `address`.
fn next_hop(model: &Model, table: Option<Id<RouteTable>>, address: Ipv4Addr) -> Option<ObjRef> {
    route_covering(model, table?, Ipv4Net::from(address))
}

/// The path to the internet from a route table: through an internet gateway, a NAT
/// gateway (whose own subnet must reach an internet gateway), or a gateway load
/// balancer endpoint (inspection) and onwards from its subnet.
fn internet(
    model: &Model,
    table: Option<Id<RouteTable>>,
    vpc: Option<Id<Vpc>>,
    depth: usize,
) -> Reach {
    if depth > 4 {
        return Reach::unreachable("the route through gateway load balancer endpoints loops");
    }
    let Some(hop) = next_hop(model, table, PUBLIC) else {
        return Reach::unreachable("no route to an internet or NAT gateway");
    };
    match hop.kind {
        Kind::InternetGateway => {
            let igw = &model.internet_gateways[Id::new(hop.index as usize)];
            if igw.vpc != vpc {
                return Reach::unreachable(format!(
                    "`{}` is attached to another VPC",
                    model.address(hop)
                ));
            }
            Reach::new(
                Verdict::Public,
                vec![hop],
                format!("through `{}`", model.address(hop)),
            )
        }
        Kind::NatGateway => {
            let nat = &model.nat_gateways[Id::new(hop.index as usize)];
            let Some(subnet) = nat.subnet else {
                return Reach::unreachable("the NAT gateway has no subnet");
            };
            let onward = internet(
                model,
                table_of(model, subnet),
                model.subnets[subnet].vpc,
                depth + 1,
            );
            match onward.verdict {
                Verdict::Public => Reach::new(
                    Verdict::Public,
                    std::iter::once(hop).chain(onward.via).collect(),
                    format!("through `{}`", model.address(hop)),
                ),
                _ => Reach::unreachable(format!(
                    "`{}` sits in a subnet with no route to an internet gateway",
                    model.address(hop)
                )),
            }
        }
        Kind::Endpoint => {
            let endpoint = &model.endpoints[Id::new(hop.index as usize)];
            let is_gwlb = endpoint.endpoint_type.as_ref().map(|t| t.value)
                == Some(EndpointType::GatewayLoadBalancer);
            let Some(subnet) = endpoint
                .subnets
                .first()
                .map(|s| s.value)
                .filter(|_| is_gwlb)
            else {
                return Reach::unreachable(format!(
                    "`{}` cannot forward traffic",
                    model.address(hop)
                ));
            };
            // Traffic routed to an endpoint that is not yet accepted goes nowhere.
            let id = Id::new(hop.index as usize);
            if let Some(service) = service::awaits_acceptance(model, endpoint) {
                return Reach {
                    awaiting: Some((id, service)),
                    ..Reach::new(
                        Verdict::Pending,
                        vec![hop],
                        pending_reason(model, id, service),
                    )
                };
            }
            // Inspected traffic returns to the endpoint and leaves by its subnet's table.
            let onward = internet(model, table_of(model, subnet), vpc, depth + 1);
            Reach {
                via: std::iter::once(hop).chain(onward.via).collect(),
                reason: format!(
                    "inspected by `{}`, then {}",
                    model.address(hop),
                    onward.reason
                ),
                ..onward
            }
        }
        _ => Reach::unreachable("no route to an internet or NAT gateway"),
    }
}

/// Whether any of the endpoint's groups admits `transport` on `port` (or on any port when
/// `None`) from all of `from`. No group: the VPC's default group, which admits only its
/// members.
fn admits(
    model: &Model,
    endpoint: &Endpoint,
    from: &[Ipv4Net],
    transport: Transport,
    port: Option<u16>,
) -> bool {
    let groups: Vec<&SecurityGroup> = endpoint
        .security_groups
        .iter()
        .map(|g| &model.security_groups[g.value])
        .collect();
    if groups.is_empty() {
        return false;
    }
    from.iter().all(|source| {
        groups.iter().any(|group| {
            // An existing group whose rules are not written: assume it admits the traffic.
            (group.common.is_existing() && group.ingress.is_empty())
                || group.ingress.iter().any(|rule| {
                    let protocol = rule
                        .protocol
                        .as_ref()
                        .map_or(vpce_model::schema::ALL_PROTOCOLS, |p| p.value.as_str());
                    let protocol_ok = transport.rule_protocols().contains(&protocol);
                    let port_ok = match (port, &rule.ports) {
                        (_, None) => true,
                        (Some(port), Some(ports)) => ports.value.contains(port),
                        (None, Some(_)) => true,
                    };
                    let cidr_ok = rule
                        .cidrs
                        .iter()
                        .filter_map(|c| c.value.v4())
                        .any(|c| c.contains(source));
                    // A rule naming groups admits their members: the clients in the source
                    // may carry such a group, which vpce cannot see, so it counts.
                    let group_ok = !rule.security_groups.is_empty();
                    protocol_ok && port_ok && (cidr_ok || group_ok)
                })
        })
    })
}

/// An interface endpoint with network interfaces: one without subnets has none and
/// serves no one (V400).
fn carries_interface_traffic(endpoint: &Endpoint) -> bool {
    kind_of(endpoint) == Some(EndpointType::Interface) && !endpoint.subnets.is_empty()
}

fn kind_of(endpoint: &Endpoint) -> Option<EndpointType> {
    endpoint.endpoint_type.as_ref().map(|t| t.value)
}

/// Where requests start: a subnet's VPC, route table and CIDR, or a remote network's.
struct Origin {
    vpc: Option<Id<Vpc>>,
    table: Option<Id<RouteTable>>,
    cidrs: Vec<Ipv4Net>,
    remote: bool,
    /// The remote network, for its return route.
    remote_id: Option<Id<RemoteNetwork>>,
    /// An existing subnet whose route table is not described: where its routes lead is
    /// not known (`unknown`, with this reason).
    unknown_routing: Option<String>,
}

/// Why the routes of `subnet` are not known: it exists and its route table is not
/// described, so vpce cannot see which table it uses.
fn unknown_routing(model: &Model, subnet: Id<Subnet>) -> Option<String> {
    let common = &model.subnets[subnet].common;
    (common.is_existing() && model.subnets[subnet].route_table.is_none()).then(|| {
        format!(
            "`{}` exists and its route table is not described",
            model.address(subnet.obj_ref())
        )
    })
}

/// The target of the most specific route of `table` that covers all of `net`.
fn route_covering(model: &Model, table: Id<RouteTable>, net: Ipv4Net) -> Option<ObjRef> {
    model.route_tables[table]
        .routes
        .iter()
        .filter_map(|route| {
            Some((
                route.destination.as_ref()?.value.v4()?,
                route.target.as_ref()?.value,
            ))
        })
        .filter(|(covering, _)| covering.contains(&net))
        .max_by_key(|(covering, _)| covering.prefix_len())
        .map(|(_, target)| target)
}

/// For a request from a remote network through an interface endpoint: the replies leave
/// the endpoint's subnets by their route tables, which need a route covering the remote
/// network's CIDRs to it. `None` when every subnet has one; else the path, unreachable
/// (naming the subnets without a route back) or unknown.
fn missing_return_route(model: &Model, origin: &Origin, endpoint: Id<Endpoint>) -> Option<Reach> {
    let remote = origin.remote_id?;
    let mut without = Vec::new();
    for subnet in &model.endpoints[endpoint].subnets {
        if let Some(reason) = unknown_routing(model, subnet.value) {
            return Some(Reach::new(
                Verdict::Unknown,
                vec![endpoint.obj_ref()],
                format!(
                    "replies leave through `{}`, but {reason}",
                    model.address(subnet.value.obj_ref())
                ),
            ));
        }
        let routed = table_of(model, subnet.value).is_some_and(|table| {
            origin
                .cidrs
                .iter()
                .all(|net| route_covering(model, table, *net) == Some(remote.obj_ref()))
        });
        if !routed {
            without.push(format!("`{}`", model.address(subnet.value.obj_ref())));
        }
    }
    if without.is_empty() {
        return None;
    }
    Some(Reach::new(
        Verdict::Unreachable,
        vec![endpoint.obj_ref()],
        format!(
            "replies from `{}` find no route back: no route to `{}` in the route table of {}",
            model.address(endpoint.obj_ref()),
            model.address(remote.obj_ref()),
            without.join(", ")
        ),
    ))
}

/// The path through an interface endpoint that serves a request from `origin`: its
/// return route when the origin is a remote network, then acceptance and policy.
fn through_interface(model: &Model, origin: &Origin, endpoint: Id<Endpoint>) -> Reach {
    missing_return_route(model, origin, endpoint)
        .unwrap_or_else(|| through_endpoint(model, endpoint))
}

fn origin(model: &Model, source: Source) -> Origin {
    match source {
        Source::Subnet(id) => {
            let subnet = &model.subnets[id];
            Origin {
                vpc: subnet.vpc,
                table: table_of(model, id),
                cidrs: subnet
                    .cidr
                    .as_ref()
                    .and_then(|c| c.value.v4())
                    .into_iter()
                    .collect(),
                remote: false,
                remote_id: None,
                unknown_routing: unknown_routing(model, id),
            }
        }
        Source::Remote(id) => {
            let remote = &model.remote_networks[id];
            Origin {
                vpc: remote.vpc,
                table: None,
                cidrs: remote.cidrs.iter().filter_map(|c| c.value.v4()).collect(),
                remote: true,
                remote_id: Some(id),
                unknown_routing: None,
            }
        }
    }
}

/// The endpoints of each VPC with their resolved services, built once so that a table
/// of every source and destination stays linear in the configuration.
pub struct Network<'m> {
    pub model: &'m Model,
    by_vpc: Vec<Vec<Id<Endpoint>>>,
    /// Per VPC: why its paths cannot be judged, when the VPC or one of its endpoints has
    /// an attribute the front end rejected (a typo, a reference to nothing). Paths
    /// through it are `unknown` rather than reported as consequences of that one cause.
    tainted: Vec<Option<String>>,
    /// An endpoint whose `vpc` was rejected could belong to any VPC.
    tainted_anywhere: Option<String>,
}

/// `` `endpoint.s3`'s `route_tables` was rejected ``, for the first rejected attribute.
fn rejection(model: &Model, obj: vpce_model::ObjRef) -> Option<String> {
    let common = model.common(obj);
    let attr = common.rejected.first()?;
    Some(format!(
        "not judged: `{}`'s `{attr}` was rejected above",
        model.address(obj)
    ))
}

impl<'m> Network<'m> {
    pub fn new(model: &'m Model) -> Network<'m> {
        let mut by_vpc = vec![Vec::new(); model.vpcs.len()];
        let mut tainted: Vec<Option<String>> = model
            .vpcs
            .iter()
            .map(|(id, _)| rejection(model, id.obj_ref()))
            .collect();
        let mut tainted_anywhere = None;
        for (id, endpoint) in model.endpoints.iter() {
            if let Some(vpc) = endpoint.vpc {
                by_vpc[vpc.index()].push(id);
                if tainted[vpc.index()].is_none() {
                    tainted[vpc.index()] = rejection(model, id.obj_ref());
                }
            } else if endpoint.common.is_rejected("vpc") && tainted_anywhere.is_none() {
                tainted_anywhere = rejection(model, id.obj_ref());
            }
        }
        Network {
            model,
            by_vpc,
            tainted,
            tainted_anywhere,
        }
    }

    /// The endpoints of a VPC, in source order, with their services.
    fn endpoints(
        &self,
        vpc: Id<Vpc>,
    ) -> impl Iterator<Item = (Id<Endpoint>, &'m Endpoint, &'m Option<Service>)> + '_ {
        let model = self.model;
        self.by_vpc[vpc.index()].iter().map(move |id| {
            let endpoint = &model.endpoints[*id];
            (*id, endpoint, &endpoint.resolved_service)
        })
    }

    /// Whether a request from `source` reaches `destination`, and how.
    pub fn reach(&self, source: Source, destination: &Destination) -> Reach {
        reach_in(self, source, destination)
    }
}

fn reach_in(network: &Network<'_>, source: Source, destination: &Destination) -> Reach {
    let model = network.model;
    let origin = origin(model, source);
    let source_obj = match source {
        Source::Subnet(id) => id.obj_ref(),
        Source::Remote(id) => id.obj_ref(),
    };
    // One cause, one diagnostic: a path through something the front end rejected is
    // not judged, so no expectation fails as a consequence of a typo.
    if let Some(reason) = rejection(model, source_obj) {
        return Reach::new(Verdict::Unknown, Vec::new(), reason);
    }
    let Some(vpc) = origin.vpc else {
        return Reach::unreachable("the source has no VPC");
    };
    if let Some(reason) = network.tainted[vpc.index()]
        .as_ref()
        .or(network.tainted_anywhere.as_ref())
    {
        return Reach::new(Verdict::Unknown, Vec::new(), reason.clone());
    }
    match destination {
        Destination::Internet => {
            if origin.remote {
                return Reach::unreachable(
                    "traffic from a remote network does not leave through this VPC's gateways",
                );
            }
            if let Some(reason) = origin.unknown_routing {
                return Reach::new(Verdict::Unknown, Vec::new(), reason);
            }
            internet(model, origin.table, Some(vpc), 0)
        }
        Destination::EndpointService(target) => {
            let ports = service::listening_ports(model, *target);
            if ports == ServicePorts::NoListener {
                return Reach::unreachable(format!(
                    "`{}` is reachable by nobody: its load balancers have no listener",
                    model.address(target.obj_ref())
                ));
            }
            let serving: Vec<(Id<Endpoint>, &Endpoint)> = network
                .endpoints(vpc)
                .filter(|(_, _, service)| **service == Some(Service::Local(*target)))
                .map(|(id, endpoint, _)| (id, endpoint))
                .collect();
            if let Some((id, endpoint)) = serving.iter().find(|(_, e)| carries_interface_traffic(e))
            {
                // Judged by what the listeners take: a UDP service by UDP rules.
                let admitted = match &ports {
                    ServicePorts::Listening(listening) => listening
                        .iter()
                        .any(|(t, port)| admits(model, endpoint, &origin.cidrs, *t, Some(*port))),
                    _ => admits(model, endpoint, &origin.cidrs, Transport::Tcp, None),
                };
                if admitted {
                    return through_interface(model, &origin, *id);
                }
                let what = ports.describe().map_or(String::new(), |p| format!(" {p}"));
                return Reach::unreachable(format!(
                    "`{}`'s security groups do not admit{what} from the source",
                    model.address(id.obj_ref())
                ));
            }
            let gwlb: Vec<Id<Endpoint>> = serving
                .iter()
                .filter(|(_, e)| kind_of(e) == Some(EndpointType::GatewayLoadBalancer))
                .map(|(id, _)| *id)
                .collect();
            if !gwlb.is_empty() {
                return routed_gwlb(model, &origin, &gwlb, *target);
            }
            let service = model.address(target.obj_ref());
            Reach::unreachable(format!(
                "`{}` has no endpoint to `{service}`",
                model.address(vpc.obj_ref())
            ))
        }
        Destination::Service(name) => aws_service(network, &origin, vpc, name),
    }
}

/// A gateway load balancer endpoint is reached only by routing traffic to it: the path
/// goes through the endpoint that the source's route table targets (the default route's
/// when it targets one, else the first such route), not any endpoint of the VPC.
fn routed_gwlb(
    model: &Model,
    origin: &Origin,
    endpoints: &[Id<Endpoint>],
    target: Id<EndpointService>,
) -> Reach {
    if let Some(reason) = &origin.unknown_routing {
        return Reach::new(Verdict::Unknown, Vec::new(), reason.clone());
    }
    let is_ours = |hop: &ObjRef| {
        hop.kind == Kind::Endpoint && endpoints.contains(&Id::new(hop.index as usize))
    };
    let routed = next_hop(model, origin.table, PUBLIC)
        .filter(is_ours)
        .or_else(|| {
            let table = &model.route_tables[origin.table?];
            table
                .routes
                .iter()
                .filter_map(|route| route.target.as_ref().map(|t| t.value))
                .find(is_ours)
        });
    match routed {
        Some(hop) => through_endpoint(model, Id::new(hop.index as usize)),
        None => {
            let table = origin.table.map_or_else(
                || "the source's route table".to_string(),
                |t| format!("`{}`", model.address(t.obj_ref())),
            );
            Reach::unreachable(format!(
                "no route of {table} targets a gateway load balancer endpoint of `{}`",
                model.address(target.obj_ref())
            ))
        }
    }
}

fn aws_service(network: &Network<'_>, origin: &Origin, vpc: Id<Vpc>, wanted: &str) -> Reach {
    let model = network.model;
    // `s3` is the service in the VPC's region; `com.amazonaws.us-east-1.s3` names one.
    let vpc_region = model
        .vpc_region(vpc)
        .map(|r| r.value.clone())
        .unwrap_or_default();
    let (region, name) = match vpce_data::parse_aws_service_name(wanted) {
        Some((region, short)) => (region.to_string(), short),
        None => (vpc_region, wanted),
    };
    let endpoints: Vec<(Id<Endpoint>, &Endpoint)> = network
        .endpoints(vpc)
        .filter(|(_, _, service)| {
            matches!(service, Some(Service::Aws { name: n, region: r, .. }) if n == name && *r == region)
        })
        .map(|(id, endpoint, _)| (id, endpoint))
        .collect();
    // With several interface endpoints for one service, the one with private DNS answers.
    let interface = endpoints
        .iter()
        .filter(|(_, e)| carries_interface_traffic(e))
        .max_by_key(|(id, e)| (service::private_dns_enabled(e), std::cmp::Reverse(*id)));
    let gateway = endpoints.iter().find(|(_, e)| {
        kind_of(e) == Some(EndpointType::Gateway)
            && origin
                .table
                .is_some_and(|t| e.route_tables.iter().any(|r| r.value == t))
    });
    let any_gateway = endpoints
        .iter()
        .find(|(_, e)| kind_of(e) == Some(EndpointType::Gateway));
    let address = |id: Id<Endpoint>| model.address(id.obj_ref());

    if let Some((id, endpoint)) = interface {
        let inbound_only = endpoint
            .private_dns_only_for_inbound_resolver
            .as_ref()
            .is_some_and(|o| o.value);
        // With inbound-resolver-only DNS, requests from inside the VPC use the gateway.
        let vpc_uses_gateway = inbound_only && !origin.remote && any_gateway.is_some();
        if service::private_dns_enabled(endpoint) && !vpc_uses_gateway {
            if admits(model, endpoint, &origin.cidrs, Transport::Tcp, Some(443)) {
                return through_interface(model, origin, *id);
            }
            return Reach::unreachable(format!(
                "`{}` answers for `{name}` but its security groups do not admit TCP 443 from the source",
                address(*id)
            ));
        }
        if !service::private_dns_enabled(endpoint) {
            // Only the endpoint's own DNS name reaches it; the service's name goes public.
            let public = fallback(
                model,
                origin,
                gateway.copied(),
                any_gateway.copied(),
                name,
                Some(*id),
            );
            if public.verdict == Verdict::Private
                || !admits(model, endpoint, &origin.cidrs, Transport::Tcp, Some(443))
            {
                return public;
            }
            // The endpoint's own name takes the same path as through private DNS: its
            // return route, acceptance and policy decide whether it serves the source.
            let direct = through_interface(model, origin, *id);
            return match (direct.verdict, public.verdict) {
                (Verdict::Private, _) => Reach {
                    endpoint_dns_only: Some(*id),
                    ..public
                },
                (_, Verdict::Public | Verdict::Unknown) => public,
                _ => direct,
            };
        }
    }
    fallback(
        model,
        origin,
        gateway.copied(),
        any_gateway.copied(),
        name,
        None,
    )
}

/// Without a usable interface endpoint: a gateway endpoint on the source's table, else
/// the internet. `without_private_dns` is the interface endpoint there is, whose private
/// DNS is off, so it does not answer for the service's name.
fn fallback(
    model: &Model,
    origin: &Origin,
    gateway: Option<(Id<Endpoint>, &Endpoint)>,
    any_gateway: Option<(Id<Endpoint>, &Endpoint)>,
    name: &str,
    without_private_dns: Option<Id<Endpoint>>,
) -> Reach {
    // Why no interface endpoint answers for the name; formatted only for a reason given.
    let unserved = || {
        without_private_dns.map(|id| {
            format!(
                "`{name}`'s name does not resolve to `{}`, whose private DNS is off",
                model.address(id.obj_ref())
            )
        })
    };
    if origin.remote {
        return match any_gateway {
            Some((id, _)) => Reach {
                refused_by_gateway: Some(id),
                ..Reach::unreachable(format!(
                    "`{}` is a gateway endpoint, which serves only requests from inside its VPC",
                    model.address(id.obj_ref())
                ))
            },
            None => Reach::unreachable(
                unserved()
                    .unwrap_or_else(|| format!("no interface endpoint for `{name}` in the VPC")),
            ),
        };
    }
    if let Some(reason) = &origin.unknown_routing {
        return Reach::new(Verdict::Unknown, Vec::new(), reason.clone());
    }
    if let Some((id, _)) = gateway {
        return through_endpoint(model, id);
    }
    let mut path = internet(model, origin.table, origin.vpc, 0);
    if path.verdict == Verdict::Unreachable {
        let unserved = unserved().unwrap_or_else(|| format!("no endpoint for `{name}`"));
        path.reason = format!("{unserved} and {}", path.reason);
    }
    path
}

/// The destinations a configuration uses: every AWS service of its endpoints and
/// expectations, every endpoint service, and the internet; sorted.
pub fn destinations(model: &Model) -> Vec<Destination> {
    let mut out = std::collections::BTreeSet::new();
    out.insert(Destination::Internet);
    for (_, endpoint) in model.endpoints.iter() {
        match &endpoint.resolved_service {
            Some(Service::Aws { name, .. }) => {
                out.insert(Destination::Service(name.clone()));
            }
            Some(Service::Local(id)) => {
                out.insert(Destination::EndpointService(*id));
            }
            _ => {}
        }
    }
    for (_, expect) in model.expects.iter() {
        if let Some(to) = &expect.to {
            if let Some(destination) = expect_destination(&to.value) {
                out.insert(destination);
            }
        }
    }
    out.into_iter().collect()
}

/// What an `expect`'s `to` means as a destination (`"com.amazonaws.REGION.s3"` is `s3`).
pub fn expect_destination(target: &vpce_model::ExpectTarget) -> Option<Destination> {
    Some(match target {
        vpce_model::ExpectTarget::Internet => Destination::Internet,
        vpce_model::ExpectTarget::EndpointService(id) => Destination::EndpointService(*id),
        vpce_model::ExpectTarget::Service(name) => {
            // A full name keeps its region; a short name means the source VPC's region.
            Destination::Service(name.clone())
        }
    })
}

/// Every source (subnets, then remote networks, in source order).
pub fn sources(model: &Model) -> Vec<Source> {
    model
        .subnets
        .iter()
        .map(|(id, _)| Source::Subnet(id))
        .chain(
            model
                .remote_networks
                .iter()
                .map(|(id, _)| Source::Remote(id)),
        )
        .collect()
}

/// `subnet.app_a`, `remote_network.office`, `internet`, `s3`, `endpoint_service.api`.
pub fn source_address(model: &Model, source: Source) -> String {
    match source {
        Source::Subnet(id) => model.address(id.obj_ref()),
        Source::Remote(id) => model.address(id.obj_ref()),
    }
}

pub fn destination_address(model: &Model, destination: &Destination) -> String {
    match destination {
        Destination::Internet => "internet".into(),
        Destination::Service(name) => name.clone(),
        Destination::EndpointService(id) => model.address(id.obj_ref()),
    }
}

#[cfg(test)]
mod tests;
