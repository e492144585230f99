//! The typed model: one arena per object kind, in source order, with typed ids.
//!
//! A field is `None` (or a list is short) when the attribute is absent or its value was
//! invalid; the resolver has then already reported it, so rules skip silently.

use std::{fmt, marker::PhantomData};

use indexmap::IndexMap;
use vpce_diagnostics::Span;

use crate::{
    net::{Cidr, Zone},
    schema::{EndpointType, IpAddressType, ListenerProtocol, LoadBalancerType, Via},
    Kind, Spanned,
};

/// A reference to any declared object.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjRef {
    pub kind: Kind,
    pub index: u32,
}

/// A typed index into one arena of the [`Model`].
pub struct Id<T> {
    index: u32,
    _kind: PhantomData<fn() -> T>,
}

impl<T> Id<T> {
    pub fn new(index: usize) -> Id<T> {
        Id {
            index: u32::try_from(index).expect("fewer than 2^32 objects"),
            _kind: PhantomData,
        }
    }

    pub fn index(self) -> usize {
        self.index as usize
    }
}

impl<T: Object> Id<T> {
    pub fn obj_ref(self) -> ObjRef {
        ObjRef {
            kind: T::KIND,
            index: self.index,
        }
    }
}

impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}
impl<T> Eq for Id<T> {}
impl<T> PartialOrd for Id<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Id<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.index.cmp(&other.index)
    }
}
impl<T> std::hash::Hash for Id<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.index.hash(state)
    }
}
impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.index)
    }
}

/// `output "NAME" { value = ... }`: a value shown by `plan` and emitted as a
/// CloudFormation output.
#[derive(Debug)]
pub struct Output {
    pub name: String,
    /// `output "NAME"`.
    pub header: Span,
    /// The value as text: a list joined with `,`, an object reference as its id.
    /// It may hold attributes known after deployment (`crate::deployed`).
    pub value: String,
    pub description: Option<String>,
    /// Export it as `STACK-NAME`.
    pub export: bool,
}

/// Objects of one kind by address name (`main`, or `aws["ssm"]` for an instance of a
/// block with `for_each`), in source order.
#[derive(Debug)]
pub struct Arena<T> {
    items: IndexMap<String, T>,
}

impl<T> Default for Arena<T> {
    fn default() -> Self {
        Arena {
            items: IndexMap::new(),
        }
    }
}

impl<T> Arena<T> {
    pub(crate) fn push(&mut self, name: String, item: T) -> Id<T> {
        let (index, _) = self.items.insert_full(name, item);
        Id::new(index)
    }

    /// Room for `additional` more objects, allocated once: an arena grown by doubling
    /// holds up to twice the memory its objects need.
    pub(crate) fn reserve_exact(&mut self, additional: usize) {
        self.items.reserve_exact(additional);
    }

    pub fn get(&self, name: &str) -> Option<(Id<T>, &T)> {
        self.items
            .get_full(name)
            .map(|(index, _, item)| (Id::new(index), item))
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (Id<T>, &mut T)> {
        self.items
            .values_mut()
            .enumerate()
            .map(|(index, item)| (Id::new(index), item))
    }

    pub fn iter(&self) -> impl Iterator<Item = (Id<T>, &T)> {
        self.items
            .values()
            .enumerate()
            .map(|(index, item)| (Id::new(index), item))
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.items.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<T> std::ops::Index<Id<T>> for Arena<T> {
    type Output = T;
    fn index(&self, id: Id<T>) -> &T {
        &self.items[id.index()]
    }
}

/// Where an attribute was written: its key and its value.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct AttrSpan {
    pub key: Span,
    pub value: Span,
}

impl AttrSpan {
    /// `key = value`, for findings about the attribute as a whole.
    pub fn whole(self) -> Span {
        self.key.to(self.value)
    }
}

/// The attributes of the schema written in a block, each with where it was written.
/// A block sets a handful, so a list searched in order, allocated at its exact size,
/// rather than a hash map (which took a fifth of the model's memory).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WrittenAttrs(Box<[(&'static str, AttrSpan)]>);

impl WrittenAttrs {
    pub fn get(&self, attr: &str) -> Option<AttrSpan> {
        self.0
            .iter()
            .find(|(name, _)| *name == attr)
            .map(|(_, span)| *span)
    }

    pub fn contains_key(&self, attr: &str) -> bool {
        self.get(attr).is_some()
    }
}

impl FromIterator<(&'static str, AttrSpan)> for WrittenAttrs {
    /// An attribute given twice keeps its first place and its last span, as a map would.
    fn from_iter<I: IntoIterator<Item = (&'static str, AttrSpan)>>(iter: I) -> Self {
        let mut attrs: Vec<(&'static str, AttrSpan)> = Vec::new();
        for (name, span) in iter {
            match attrs.iter_mut().find(|(written, _)| *written == name) {
                Some(slot) => slot.1 = span,
                None => attrs.push((name, span)),
            }
        }
        WrittenAttrs(attrs.into_boxed_slice())
    }
}

/// What every object has: its name, where it is, and the spans of what it sets.
#[derive(Clone, Debug)]
pub struct Common {
    /// The name in names, tags and logical ids: the label, or `LABEL_KEY` for an
    /// instance of a block with `for_each`; `MODULE_LABEL` for an object of a module.
    pub name: String,
    /// How references, diagnostics, plans and state name it: `vpc.main`,
    /// `endpoint.aws["ssm"]`, `module.edge.vpc.main`.
    pub address: String,
    /// Where, in `address`, the reference inside its own module starts (after
    /// `module.edge.`): see [`Common::reference`].
    pub reference_start: usize,
    /// The label as written: `main` in `vpc "main"`.
    pub label: String,
    /// Where the label is: `"main"` in `vpc "main"`.
    pub name_span: Span,
    /// `vpc "main"`.
    pub header: Span,
    /// The whole block.
    pub span: Span,
    /// `id` (or `arn`) of an existing object, which is referenced but never created.
    pub existing: Option<Spanned<String>>,
    pub tags: IndexMap<String, String>,
    /// Every attribute of the schema written in the block, by name.
    pub attrs: WrittenAttrs,
    /// Attributes whose value (or part of it) was invalid and already reported, or
    /// that were written under a misspelt name (V102 suggested them): their typed field
    /// is empty, shorter than written, or a default that is not what the author meant.
    pub rejected: Vec<&'static str>,
}

impl Common {
    /// How the object is referenced in the files of its own module: `vpc.main`,
    /// `endpoint.aws["ssm"]`; the address without its module prefix. Help that suggests
    /// code to write uses this; messages name the object by its whole `address`.
    pub fn reference(&self) -> &str {
        &self.address[self.reference_start..]
    }

    /// How findings name the object after its kind ("endpoint `NAME`"): `main`,
    /// `aws["ssm"]`; an object of a module by its whole address,
    /// `module.spoke["a"].endpoint.aws["ssm"]`, so the instance is named. Never `name`,
    /// which joins a label and its key for ids and tags (`spoke_a_aws_ssm`). Where a
    /// finding writes `KIND.NAME`, it uses `address` (or `reference()` in code to write).
    pub fn shown(&self) -> &str {
        if self.reference_start > 0 {
            return &self.address;
        }
        self.address
            .split_once('.')
            .map_or(&self.address, |(_, after_kind)| after_kind)
    }

    pub fn is_existing(&self) -> bool {
        self.existing.is_some()
    }

    /// Whether the attribute was written but (partly) rejected by the front end.
    pub fn is_rejected(&self, attr: &str) -> bool {
        self.rejected.contains(&attr)
    }

    /// The span of an attribute's value, if it was written.
    pub fn value_span(&self, attr: &str) -> Option<Span> {
        self.attrs.get(attr).map(|a| a.value)
    }

    /// The span of `key = value`, if written.
    pub fn attr_span(&self, attr: &str) -> Option<Span> {
        self.attrs.get(attr).map(|a| a.whole())
    }

    /// The attribute's value span, or the block header when it was not written (a
    /// finding about a default points at the object).
    pub fn value_span_or_header(&self, attr: &str) -> Span {
        self.value_span(attr).unwrap_or(self.header)
    }
}

pub trait Object {
    const KIND: Kind;
    fn common(&self) -> &Common;
}

macro_rules! objects {
    ($($ty:ident => $kind:ident, $field:ident;)*) => {
        $(impl Object for $ty {
            const KIND: Kind = Kind::$kind;
            fn common(&self) -> &Common {
                &self.common
            }
        })*

        /// A resolved configuration.
        #[derive(Debug, Default)]
        pub struct Model {
            /// The top-level `region`.
            pub region: Option<Spanned<String>>,
            pub account: Option<Spanned<String>>,
            pub default_tags: IndexMap<String, String>,
            $(pub $field: Arena<$ty>,)*
            /// Top-level `output` blocks, in source order.
            pub outputs: Vec<Output>,
            /// Every module instance, in the order its `module` block was read.
            pub module_calls: Vec<crate::modules::ModuleCall>,
        }

        impl Model {
            /// The common part of any object.
            pub fn common(&self, obj: ObjRef) -> &Common {
                match obj.kind {
                    $(Kind::$kind => &self.$field[Id::new(obj.index as usize)].common,)*
                }
            }

            /// The common part of every object, kind after kind, each in source order.
            pub fn commons(&self) -> impl Iterator<Item = &Common> {
                std::iter::empty()
                    $(.chain(self.$field.iter().map(|(_, object)| &object.common)))*
            }

            /// Room for `count` more objects of one kind (their declarations are known
            /// before any is built).
            pub(crate) fn reserve_exact(&mut self, kind: Kind, count: usize) {
                match kind {
                    $(Kind::$kind => self.$field.reserve_exact(count),)*
                }
            }

            /// Names of the declared objects of one kind, in source order.
            pub fn names(&self, kind: Kind) -> Vec<&str> {
                match kind {
                    $(Kind::$kind => self.$field.names().collect(),)*
                }
            }
        }
    };
}

objects! {
    Vpc => Vpc, vpcs;
    Subnet => Subnet, subnets;
    RouteTable => RouteTable, route_tables;
    InternetGateway => InternetGateway, internet_gateways;
    NatGateway => NatGateway, nat_gateways;
    SecurityGroup => SecurityGroup, security_groups;
    LoadBalancer => LoadBalancer, load_balancers;
    Endpoint => Endpoint, endpoints;
    EndpointService => EndpointService, endpoint_services;
    RemoteNetwork => RemoteNetwork, remote_networks;
    Expect => Expect, expects;
}

impl Model {
    pub fn name_of(&self, obj: ObjRef) -> &str {
        &self.common(obj).name
    }

    /// `vpc.main`, as a reference is written.
    pub fn address(&self, obj: ObjRef) -> String {
        self.common(obj).address.clone()
    }

    /// The region a VPC is in: its own `region`, else the top-level one.
    pub fn vpc_region(&self, vpc: Id<Vpc>) -> Option<&Spanned<String>> {
        self.vpcs[vpc].region.as_ref().or(self.region.as_ref())
    }

    /// The region of an endpoint service of this configuration: the region of its load
    /// balancers' VPC, or of an existing load balancer's ARN; `None` when neither is
    /// known or it is not a known region.
    pub fn endpoint_service_region(&self, id: Id<EndpointService>) -> Option<&str> {
        self.endpoint_services[id]
            .load_balancers
            .iter()
            .find_map(|lb| {
                let lb = &self.load_balancers[lb.value];
                let from_subnets = lb.subnets.iter().find_map(|s| {
                    let vpc = self.subnets[s.value].vpc?;
                    Some(self.vpc_region(vpc)?.value.as_str())
                });
                from_subnets.or_else(|| {
                    // arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/...
                    let arn = lb.common.existing.as_ref()?;
                    arn.value.split(':').nth(3)
                })
            })
            .filter(|r| vpce_data::region(r).is_some())
    }

    pub fn subnets_of(&self, vpc: Id<Vpc>) -> impl Iterator<Item = (Id<Subnet>, &Subnet)> {
        self.subnets.iter().filter(move |(_, s)| s.vpc == Some(vpc))
    }
}

#[derive(Debug)]
pub struct Vpc {
    pub common: Common,
    pub cidr: Option<Spanned<Cidr>>,
    pub ipv6: bool,
    /// Only when written; see [`Model::vpc_region`].
    pub region: Option<Spanned<String>>,
    pub dns_support: bool,
    pub dns_hostnames: bool,
}

#[derive(Debug)]
pub struct Subnet {
    pub common: Common,
    pub vpc: Option<Id<Vpc>>,
    /// An AZ id (`euw1-az1`) or name (`eu-west-1a`), as written and resolved.
    pub az: Option<Spanned<Zone>>,
    pub cidr: Option<Spanned<Cidr>>,
    /// A CIDR, or `auto` (which does not parse as one).
    pub ipv6_cidr: Option<Spanned<Cidr>>,
    pub route_table: Option<Spanned<Id<RouteTable>>>,
}

#[derive(Debug)]
pub struct RouteTable {
    pub common: Common,
    pub vpc: Option<Id<Vpc>>,
    pub edge: Option<Spanned<Id<InternetGateway>>>,
    pub routes: Vec<Route>,
}

#[derive(Debug)]
pub struct Route {
    /// The `route { ... }` block.
    pub span: Span,
    pub destination: Option<Spanned<Cidr>>,
    /// An internet gateway, NAT gateway or endpoint.
    pub target: Option<Spanned<ObjRef>>,
}

#[derive(Debug)]
pub struct InternetGateway {
    pub common: Common,
    pub vpc: Option<Id<Vpc>>,
}

#[derive(Debug)]
pub struct NatGateway {
    pub common: Common,
    pub subnet: Option<Id<Subnet>>,
    pub private_ip: Option<Spanned<String>>,
}

#[derive(Debug)]
pub struct SecurityGroup {
    pub common: Common,
    pub vpc: Option<Id<Vpc>>,
    pub description: Option<Spanned<String>>,
    pub ingress: Vec<SecurityGroupRule>,
    /// Empty when no `egress` block was written: AWS then allows all outbound traffic.
    pub egress: Vec<SecurityGroupRule>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PortRange {
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub fn contains(self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }
}

#[derive(Debug)]
pub struct SecurityGroupRule {
    pub span: Span,
    /// `tcp`, `udp`, `icmp`, `icmpv6`, or `-1` for all (`all` is normalised to `-1`).
    pub protocol: Option<Spanned<String>>,
    /// `None` when not written: all ports.
    pub ports: Option<Spanned<PortRange>>,
    pub cidrs: Vec<Spanned<Cidr>>,
    pub security_groups: Vec<Spanned<Id<SecurityGroup>>>,
    pub description: Option<Spanned<String>>,
}

#[derive(Debug)]
pub struct LoadBalancer {
    pub common: Common,
    pub lb_type: Option<Spanned<LoadBalancerType>>,
    pub subnets: Vec<Spanned<Id<Subnet>>>,
    /// For an existing load balancer: the AZ ids it serves.
    pub azs: Vec<Spanned<Zone>>,
    /// `ipv4` or `dualstack` (never `ipv6`: the schema allows only these two);
    /// `None` when not written, which means `ipv4`.
    pub ip_address_type: Option<Spanned<IpAddressType>>,
    /// Network load balancers only (the front end rejects them on a gateway one).
    pub security_groups: Vec<Spanned<Id<SecurityGroup>>>,
    /// In source order. On a created load balancer they are created with it; on an
    /// existing one (`arn`) they describe the listeners it has. An existing load
    /// balancer without `listener` blocks has listeners vpce cannot see.
    pub listeners: Vec<Listener>,
}

impl LoadBalancer {
    /// Whether vpce knows which listeners the load balancer has: always when it creates
    /// the load balancer, and for an existing one only when listeners are written.
    pub fn listeners_known(&self) -> bool {
        !self.common.is_existing() || !self.listeners.is_empty()
    }
}

impl ListenerProtocol {
    /// Whether clients reach it over TCP (TLS is TCP on the wire).
    pub fn carries_tcp(self) -> bool {
        matches!(
            self,
            ListenerProtocol::Tcp | ListenerProtocol::TcpUdp | ListenerProtocol::Tls
        )
    }

    /// Whether clients reach it over UDP (GENEVE is UDP 6081 between load balancer and
    /// appliances, not something clients send).
    pub fn carries_udp(self) -> bool {
        matches!(self, ListenerProtocol::Udp | ListenerProtocol::TcpUdp)
    }

    /// Whether two listeners with these protocols cannot share a port: equal, or one is
    /// `TCP_UDP` and the other carries TCP or UDP.
    pub fn overlaps(self, other: ListenerProtocol) -> bool {
        self == other
            || (self.carries_tcp() && other.carries_tcp())
            || (self.carries_udp() && other.carries_udp())
    }
}

/// The port and protocol of a gateway load balancer's one listener: GENEVE on 6081.
pub const GENEVE_PORT: u16 = 6081;

/// A `listener { ... }` block of a load balancer.
#[derive(Debug)]
pub struct Listener {
    /// The whole block.
    pub span: Span,
    /// The `listener` keyword, where findings about the block as a whole point.
    pub keyword: Span,
    /// As written; V610 reports one that is not a whole number in 1-65535.
    pub port: Option<Spanned<f64>>,
    pub protocol: Option<Spanned<ListenerProtocol>>,
    /// IPv4 addresses (the front end rejects anything else).
    pub targets: Vec<Spanned<String>>,
    pub target_port: Option<Spanned<f64>>,
    pub certificate_arn: Option<Spanned<String>>,
}

/// A whole number in 1-65535.
pub fn port_number(value: f64) -> Option<u16> {
    (value.fract() == 0.0 && (1.0..=65535.0).contains(&value)).then_some(value as u16)
}

impl Listener {
    /// The protocol, GENEVE for a gateway load balancer's listener that names none.
    pub fn effective_protocol(&self, lb_type: LoadBalancerType) -> Option<ListenerProtocol> {
        match (&self.protocol, lb_type) {
            (Some(p), _) => Some(p.value),
            (None, LoadBalancerType::Gateway) => Some(ListenerProtocol::Geneve),
            (None, LoadBalancerType::Network) => None,
        }
    }

    /// The port when it is valid, 6081 for a gateway load balancer's listener that names
    /// none.
    pub fn effective_port(&self, lb_type: LoadBalancerType) -> Option<u16> {
        match (&self.port, lb_type) {
            (Some(p), _) => port_number(p.value),
            (None, LoadBalancerType::Gateway) => Some(GENEVE_PORT),
            (None, LoadBalancerType::Network) => None,
        }
    }

    /// Where the targets listen: `target_port`, else the listener's port.
    pub fn effective_target_port(&self, lb_type: LoadBalancerType) -> Option<u16> {
        match &self.target_port {
            Some(p) => port_number(p.value),
            None => self.effective_port(lb_type),
        }
    }
}

/// What an endpoint connects to.
#[derive(Clone, Debug, PartialEq)]
pub enum ServiceRef {
    /// As written: `"s3"`, `"com.amazonaws.eu-west-1.s3"`, or a foreign
    /// `"com.amazonaws.vpce.REGION.vpce-svc-..."`.
    Named(String),
    /// An `endpoint_service` of this configuration.
    Local(Id<EndpointService>),
}

/// An endpoint policy: a document written in HCL, or JSON text from `jsonencode`/`file`.
#[derive(Clone, Debug, PartialEq)]
pub enum Policy {
    Document(serde_json::Value),
    Json(String),
}

#[derive(Debug)]
pub struct Endpoint {
    pub common: Common,
    pub endpoint_type: Option<Spanned<EndpointType>>,
    pub service: Option<Spanned<ServiceRef>>,
    pub vpc: Option<Id<Vpc>>,
    pub route_tables: Vec<Spanned<Id<RouteTable>>>,
    pub subnets: Vec<Spanned<Id<Subnet>>>,
    pub security_groups: Vec<Spanned<Id<SecurityGroup>>>,
    pub private_dns: Option<Spanned<bool>>,
    pub private_dns_only_for_inbound_resolver: Option<Spanned<bool>>,
    pub ip_address_type: Option<Spanned<IpAddressType>>,
    /// One of `schema::DNS_RECORD_IP_TYPES`, as CloudFormation spells it.
    pub dns_record_ip_type: Option<Spanned<String>>,
    pub service_region: Option<Spanned<String>>,
    pub policy: Option<Spanned<Policy>>,
    /// Where the policy's statements, keys and actions were written.
    pub policy_spans: Option<crate::spans::SpanTree>,
    /// What `service` names, resolved once when the model is built (`crate::service`).
    /// `None` when the service or the region it depends on is missing (already
    /// reported), or the name has no recognisable shape (V405 reports it).
    pub resolved_service: Option<crate::service::Service>,
}

#[derive(Debug)]
pub struct EndpointService {
    pub common: Common,
    pub load_balancers: Vec<Spanned<Id<LoadBalancer>>>,
    pub acceptance_required: bool,
    pub allowed_principals: Vec<Spanned<String>>,
    pub private_dns_name: Option<Spanned<String>>,
    /// Empty when not written: `["ipv4"]`.
    pub supported_ip_address_types: Vec<Spanned<String>>,
    pub supported_regions: Vec<Spanned<String>>,
}

#[derive(Debug)]
pub struct RemoteNetwork {
    pub common: Common,
    pub vpc: Option<Id<Vpc>>,
    pub via: Option<Spanned<Via>>,
    pub cidrs: Vec<Spanned<Cidr>>,
    pub region: Option<Spanned<String>>,
    /// The existing gateway that routes to this network use: `tgw-`, `vgw-` or `pcx-`.
    pub gateway: Option<Spanned<String>>,
}

/// What kind of gateway a remote network's `gateway` id names, by its prefix.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RemoteGateway {
    /// `tgw-`: a route's `TransitGatewayId`.
    TransitGateway,
    /// `vgw-`: a route's `GatewayId`.
    VirtualPrivateGateway,
    /// `pcx-`: a route's `VpcPeeringConnectionId`.
    PeeringConnection,
}

impl RemoteGateway {
    /// The kind of `id` when it has the shape of an AWS id of one of the three kinds
    /// (prefix, `-`, 8 or 17 lowercase hex digits).
    pub fn of(id: &str) -> Option<RemoteGateway> {
        let (prefix, digits) = id.split_once('-')?;
        let kind = match prefix {
            "tgw" => RemoteGateway::TransitGateway,
            "vgw" => RemoteGateway::VirtualPrivateGateway,
            "pcx" => RemoteGateway::PeeringConnection,
            _ => return None,
        };
        let hex = digits
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        (hex && matches!(digits.len(), 8 | 17)).then_some(kind)
    }

    /// The `AWS::EC2::Route` property that targets it.
    pub fn route_property(self) -> &'static str {
        match self {
            RemoteGateway::TransitGateway => "TransitGatewayId",
            RemoteGateway::VirtualPrivateGateway => "GatewayId",
            RemoteGateway::PeeringConnection => "VpcPeeringConnectionId",
        }
    }
}

/// What an `expect` block's `to` names.
#[derive(Clone, Debug, PartialEq)]
pub enum ExpectTarget {
    /// `"internet"`.
    Internet,
    /// An AWS service short name such as `"s3"`.
    Service(String),
    EndpointService(Id<EndpointService>),
}

#[derive(Debug)]
pub struct Expect {
    pub common: Common,
    /// A subnet or a remote network.
    pub from: Option<Spanned<ObjRef>>,
    pub to: Option<Spanned<ExpectTarget>>,
    pub private: Option<Spanned<bool>>,
    pub reachable: bool,
}
