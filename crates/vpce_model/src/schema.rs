//! The language's block kinds and their attributes, as data: types, requirements and
//! enumerations live here once, and the resolver checks every block against them.

/// Object kinds: blocks of the form `KIND "NAME" { ... }` that references can name.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Vpc,
    Subnet,
    RouteTable,
    InternetGateway,
    NatGateway,
    SecurityGroup,
    LoadBalancer,
    Endpoint,
    EndpointService,
    RemoteNetwork,
    Expect,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Vpc,
        Kind::Subnet,
        Kind::RouteTable,
        Kind::InternetGateway,
        Kind::NatGateway,
        Kind::SecurityGroup,
        Kind::LoadBalancer,
        Kind::Endpoint,
        Kind::EndpointService,
        Kind::RemoteNetwork,
        Kind::Expect,
    ];

    /// The block keyword, also the first segment of a reference.
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::Vpc => "vpc",
            Kind::Subnet => "subnet",
            Kind::RouteTable => "route_table",
            Kind::InternetGateway => "internet_gateway",
            Kind::NatGateway => "nat_gateway",
            Kind::SecurityGroup => "security_group",
            Kind::LoadBalancer => "load_balancer",
            Kind::Endpoint => "endpoint",
            Kind::EndpointService => "endpoint_service",
            Kind::RemoteNetwork => "remote_network",
            Kind::Expect => "expect",
        }
    }

    pub fn from_keyword(keyword: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.keyword() == keyword)
    }

    /// The attribute that makes an object existing rather than created.
    pub fn existing_attribute(self) -> Option<&'static str> {
        match self {
            Kind::LoadBalancer => Some("arn"),
            Kind::RemoteNetwork | Kind::Expect => None,
            _ => Some("id"),
        }
    }

    /// The id prefix AWS gives existing objects of this kind (`vpc-`).
    pub fn id_prefix(self) -> Option<&'static str> {
        match self {
            Kind::Vpc => Some("vpc-"),
            Kind::Subnet => Some("subnet-"),
            Kind::RouteTable => Some("rtb-"),
            Kind::InternetGateway => Some("igw-"),
            Kind::NatGateway => Some("nat-"),
            Kind::SecurityGroup => Some("sg-"),
            Kind::Endpoint => Some("vpce-"),
            Kind::EndpointService => Some("vpce-svc-"),
            _ => None,
        }
    }

    /// Whether `expect` blocks and the like may be referenced (they may not).
    pub fn is_referenceable(self) -> bool {
        self != Kind::Expect
    }

    pub fn schema(self) -> &'static [AttrSpec] {
        match self {
            Kind::Vpc => VPC,
            Kind::Subnet => SUBNET,
            Kind::RouteTable => ROUTE_TABLE,
            Kind::InternetGateway => INTERNET_GATEWAY,
            Kind::NatGateway => NAT_GATEWAY,
            Kind::SecurityGroup => SECURITY_GROUP,
            Kind::LoadBalancer => LOAD_BALANCER,
            Kind::Endpoint => ENDPOINT,
            Kind::EndpointService => ENDPOINT_SERVICE,
            Kind::RemoteNetwork => REMOTE_NETWORK,
            Kind::Expect => EXPECT,
        }
    }

    /// Nested blocks an object of this kind accepts.
    pub fn nested_blocks(self) -> &'static [(&'static str, &'static [AttrSpec])] {
        match self {
            Kind::RouteTable => &[("route", ROUTE)],
            Kind::SecurityGroup => &[("ingress", SG_RULE), ("egress", SG_RULE)],
            Kind::LoadBalancer => &[("listener", LISTENER)],
            _ => &[],
        }
    }
}

/// Attribute types. `Ref` values are references `KIND.NAME` to declared objects.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    String,
    Bool,
    Number,
    /// A string that must be one of these values.
    Enum(&'static [&'static str]),
    Ref(Kind),
    /// A reference to one of several kinds (route targets, `expect.from`).
    RefAny(&'static [Kind]),
    /// A string, or a reference of this kind (`service = "s3"` or `endpoint_service.x`).
    StringOrRef(Kind),
    List(&'static Ty),
    /// A map of strings (`tags`).
    StringMap,
    /// A port `443` or a range `"1024-65535"`.
    Ports,
    /// An IAM policy: an object, or a JSON string from `jsonencode` or `file`.
    Policy,
}

impl Ty {
    /// How the type is named in messages: "a string", "a reference like `vpc.NAME`".
    pub fn describe(self) -> String {
        let like = |kinds: &[Kind]| {
            kinds
                .iter()
                .map(|k| format!("`{}.NAME`", k.keyword()))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        match self {
            Ty::String | Ty::Enum(_) => "a string".into(),
            Ty::Bool => "a bool".into(),
            Ty::Number => "a number".into(),
            Ty::Ref(kind) => format!("a reference like {}", like(&[kind])),
            Ty::RefAny(kinds) => format!("a reference like {}", like(kinds)),
            Ty::StringOrRef(kind) => format!("a string or a reference like {}", like(&[kind])),
            Ty::List(Ty::Ref(kind)) => {
                format!("a list of references like `[{}.NAME]`", kind.keyword())
            }
            Ty::List(Ty::String | Ty::Enum(_)) => "a list of strings".into(),
            Ty::List(item) => format!("a list of {}", item.describe()),
            Ty::StringMap => "a map of strings".into(),
            Ty::Ports => "a port number or a range like \"1024-65535\"".into(),
            Ty::Policy => "a policy object or a JSON string".into(),
        }
    }
}

/// Names other tools use for vpce's attributes (CloudFormation, Terraform), so a user
/// who writes `cidr_block` is pointed at `cidr`.
pub const ATTRIBUTE_ALIASES: &[(&str, &str)] = &[
    ("assign_generated_ipv6_cidr_block", "ipv6"),
    ("availability_zone", "az"),
    ("availability_zone_id", "az"),
    ("cidr_block", "cidr"),
    ("cidr_blocks", "cidrs"),
    ("enable_dns_hostnames", "dns_hostnames"),
    ("enable_dns_support", "dns_support"),
    ("from_port", "ports"),
    ("gateway_load_balancer_arns", "load_balancers"),
    ("ip_protocol", "protocol"),
    ("ipv6_cidr_block", "ipv6_cidr"),
    ("network_load_balancer_arns", "load_balancers"),
    ("policy_document", "policy"),
    ("private_dns_enabled", "private_dns"),
    ("route_table_id", "route_table"),
    ("route_table_ids", "route_tables"),
    ("security_group_ids", "security_groups"),
    ("service_name", "service"),
    ("subnet_id", "subnet"),
    ("subnet_ids", "subnets"),
    ("to_port", "ports"),
    ("vpc_endpoint_type", "type"),
    ("vpc_id", "vpc"),
];

/// The attribute a user most likely meant: an alias from another tool, or a close name.
pub fn suggest_attribute<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    ATTRIBUTE_ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .and_then(|(_, ours)| candidates.iter().copied().find(|c| c == ours))
        .or_else(|| vpce_diagnostics::suggest(name, candidates))
}

#[derive(Copy, Clone, Debug)]
pub struct AttrSpec {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// What a bool attribute is when not written, where that is fixed (the typed model
    /// and `KIND.NAME.ATTR` both read it from here).
    pub default: Option<bool>,
}

impl AttrSpec {
    /// The default of the bool attribute `name` of `specs`, `false` when it has none.
    pub fn bool_default(specs: &[AttrSpec], name: &str) -> bool {
        specs
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.default)
            .unwrap_or(false)
    }
}

const fn req(name: &'static str, ty: Ty) -> AttrSpec {
    AttrSpec {
        name,
        ty,
        required: true,
        default: None,
    }
}

const fn opt(name: &'static str, ty: Ty) -> AttrSpec {
    AttrSpec {
        name,
        ty,
        required: false,
        default: None,
    }
}

/// An optional bool attribute and what it is when not written.
const fn flag(name: &'static str, default: bool) -> AttrSpec {
    AttrSpec {
        name,
        ty: Ty::Bool,
        required: false,
        default: Some(default),
    }
}

const TAGS: AttrSpec = opt("tags", Ty::StringMap);
const ID: AttrSpec = opt("id", Ty::String);

/// An enumeration of the language, written once: the typed enum, its `ALL` values, the
/// string of each (`as_str`, which is also what CloudFormation and messages say unless
/// noted), `from_name`, and the list of strings the schema accepts (`$list`).
macro_rules! language_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $list:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// As the language writes it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value named `text`, if any (the schema checks which names a block
            /// allows).
            pub fn from_name(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|value| value.as_str() == text)
            }
        }

        pub const $list: &[&str] = &[$($text),+];
    };
}

language_enum! {
    /// An endpoint's `type`.
    EndpointType, ENDPOINT_TYPES {
        Gateway = "gateway",
        Interface = "interface",
        GatewayLoadBalancer = "gateway_load_balancer",
    }
}

impl EndpointType {
    /// CloudFormation's `VpcEndpointType`.
    pub const fn cloudformation_name(self) -> &'static str {
        match self {
            EndpointType::Gateway => "Gateway",
            EndpointType::Interface => "Interface",
            EndpointType::GatewayLoadBalancer => "GatewayLoadBalancer",
        }
    }

    /// The type CloudFormation's `VpcEndpointType` names, if any.
    pub fn from_cloudformation_name(name: &str) -> Option<EndpointType> {
        EndpointType::ALL
            .iter()
            .copied()
            .find(|kind| kind.cloudformation_name() == name)
    }
}

language_enum! {
    /// An endpoint's or load balancer's `ip_address_type` (CloudFormation spells them
    /// alike).
    IpAddressType, IP_ADDRESS_TYPES {
        Ipv4 = "ipv4",
        Dualstack = "dualstack",
        Ipv6 = "ipv6",
    }
}

/// The IP address types of an endpoint's DNS records (`DnsOptions.DnsRecordIpType`).
pub const DNS_RECORD_IP_TYPES: &[&str] = &[
    IpAddressType::Ipv4.as_str(),
    IpAddressType::Dualstack.as_str(),
    IpAddressType::Ipv6.as_str(),
    "service-defined",
];
/// What an endpoint service's `supported_ip_address_types` takes.
pub const SERVICE_IP_TYPES: &[&str] = &[IpAddressType::Ipv4.as_str(), IpAddressType::Ipv6.as_str()];

language_enum! {
    /// A load balancer's `type` (CloudFormation's `Type` spells them alike).
    LoadBalancerType, LOAD_BALANCER_TYPES {
        Network = "network",
        Gateway = "gateway",
    }
}

/// What network and gateway load balancers accept for `IpAddressType`
/// (`dualstack-without-public-ipv4` is for application load balancers only).
pub const LOAD_BALANCER_IP_TYPES: &[&str] = &[
    IpAddressType::Ipv4.as_str(),
    IpAddressType::Dualstack.as_str(),
];

language_enum! {
    /// What a load balancer listener speaks, as the language and Elastic Load Balancing
    /// spell it: TCP, UDP, TCP_UDP (both on one port) and TLS on network load balancers,
    /// GENEVE (the default and only choice) on gateway load balancers.
    ListenerProtocol, LISTENER_PROTOCOLS {
        Tcp = "TCP",
        Udp = "UDP",
        TcpUdp = "TCP_UDP",
        Tls = "TLS",
        Geneve = "GENEVE",
    }
}

language_enum! {
    /// How a remote network is reached (`via`).
    Via, REMOTE_VIAS {
        Vpn = "vpn",
        DirectConnect = "direct_connect",
        Peering = "peering",
        TransitGateway = "transit_gateway",
    }
}

/// A security group rule's protocol for every protocol, as in the EC2 API; `all` is
/// read as it.
pub const ALL_PROTOCOLS: &str = "-1";
/// A security group rule's `protocol`.
pub const PROTOCOLS: &[&str] = &["tcp", "udp", "icmp", "icmpv6", ALL_PROTOCOLS, "all"];

pub const TOP_LEVEL: &[AttrSpec] = &[
    req("region", Ty::String),
    opt("account", Ty::String),
    opt("default_tags", Ty::StringMap),
];

pub const VARIABLE: &[AttrSpec] = &[
    // `type` holds a type expression (`string`, `list(string)`), read unevaluated.
    opt("type", Ty::String),
    opt("default", Ty::String),
    opt("description", Ty::String),
];

/// `output "NAME" { value = ..., ... }`: `value` (required) is any value, read apart.
pub const OUTPUT: &[AttrSpec] = &[opt("description", Ty::String), flag("export", false)];

/// A module's `output`: `value` (required, read apart) and a `description`; exports are
/// for the root's outputs, which become CloudFormation's.
pub const MODULE_OUTPUT: &[AttrSpec] = &[opt("description", Ty::String)];

const VPC: &[AttrSpec] = &[
    req("cidr", Ty::String),
    flag("ipv6", false),
    opt("region", Ty::String),
    flag("dns_support", true),
    flag("dns_hostnames", false),
    ID,
    TAGS,
];

const SUBNET: &[AttrSpec] = &[
    req("vpc", Ty::Ref(Kind::Vpc)),
    req("az", Ty::String),
    req("cidr", Ty::String),
    opt("ipv6_cidr", Ty::String),
    opt("route_table", Ty::Ref(Kind::RouteTable)),
    ID,
    TAGS,
];

const ROUTE_TABLE: &[AttrSpec] = &[
    req("vpc", Ty::Ref(Kind::Vpc)),
    opt("edge", Ty::Ref(Kind::InternetGateway)),
    ID,
    TAGS,
];

pub const ROUTE_TARGETS: &[Kind] = &[
    Kind::InternetGateway,
    Kind::NatGateway,
    Kind::Endpoint,
    Kind::RemoteNetwork,
];

const ROUTE: &[AttrSpec] = &[
    req("destination", Ty::String),
    req("target", Ty::RefAny(ROUTE_TARGETS)),
];

const INTERNET_GATEWAY: &[AttrSpec] = &[req("vpc", Ty::Ref(Kind::Vpc)), ID, TAGS];

const NAT_GATEWAY: &[AttrSpec] = &[
    req("subnet", Ty::Ref(Kind::Subnet)),
    // Extension: CloudFormation's `NatGateway.PrivateIpAddress`.
    opt("private_ip", Ty::String),
    ID,
    TAGS,
];

const SECURITY_GROUP: &[AttrSpec] = &[
    req("vpc", Ty::Ref(Kind::Vpc)),
    opt("description", Ty::String),
    ID,
    TAGS,
];

const SG_RULE: &[AttrSpec] = &[
    req("protocol", Ty::Enum(PROTOCOLS)),
    opt("ports", Ty::Ports),
    opt("cidrs", Ty::List(&Ty::String)),
    opt("security_groups", Ty::List(&Ty::Ref(Kind::SecurityGroup))),
    opt("description", Ty::String),
];

const LOAD_BALANCER: &[AttrSpec] = &[
    req("type", Ty::Enum(LOAD_BALANCER_TYPES)),
    opt("subnets", Ty::List(&Ty::Ref(Kind::Subnet))),
    opt("arn", Ty::String),
    opt("azs", Ty::List(&Ty::String)),
    opt("ip_address_type", Ty::Enum(LOAD_BALANCER_IP_TYPES)),
    // Network load balancers only (a gateway load balancer has no security groups).
    opt("security_groups", Ty::List(&Ty::Ref(Kind::SecurityGroup))),
    TAGS,
];

/// A `listener { ... }` block of a load balancer. `port` and `protocol` are needed on a
/// network load balancer (V610 says so); a gateway load balancer's listener takes
/// neither, or GENEVE on 6081. `target_port` defaults to `port`.
const LISTENER: &[AttrSpec] = &[
    opt("port", Ty::Number),
    opt("protocol", Ty::Enum(LISTENER_PROTOCOLS)),
    opt("targets", Ty::List(&Ty::String)),
    opt("target_port", Ty::Number),
    opt("certificate_arn", Ty::String),
];

const ENDPOINT: &[AttrSpec] = &[
    req("type", Ty::Enum(ENDPOINT_TYPES)),
    req("service", Ty::StringOrRef(Kind::EndpointService)),
    req("vpc", Ty::Ref(Kind::Vpc)),
    opt("route_tables", Ty::List(&Ty::Ref(Kind::RouteTable))),
    opt("subnets", Ty::List(&Ty::Ref(Kind::Subnet))),
    opt("security_groups", Ty::List(&Ty::Ref(Kind::SecurityGroup))),
    opt("private_dns", Ty::Bool),
    opt("private_dns_only_for_inbound_resolver", Ty::Bool),
    opt("ip_address_type", Ty::Enum(IP_ADDRESS_TYPES)),
    opt("dns_record_ip_type", Ty::Enum(DNS_RECORD_IP_TYPES)),
    opt("service_region", Ty::String),
    opt("policy", Ty::Policy),
    ID,
    TAGS,
];

const ENDPOINT_SERVICE: &[AttrSpec] = &[
    req("load_balancers", Ty::List(&Ty::Ref(Kind::LoadBalancer))),
    flag("acceptance_required", true),
    opt("allowed_principals", Ty::List(&Ty::String)),
    opt("private_dns_name", Ty::String),
    opt(
        "supported_ip_address_types",
        Ty::List(&Ty::Enum(SERVICE_IP_TYPES)),
    ),
    opt("supported_regions", Ty::List(&Ty::String)),
    ID,
    TAGS,
];

const REMOTE_NETWORK: &[AttrSpec] = &[
    req("vpc", Ty::Ref(Kind::Vpc)),
    req("via", Ty::Enum(REMOTE_VIAS)),
    req("cidrs", Ty::List(&Ty::String)),
    opt("region", Ty::String),
    // An existing transit gateway, virtual private gateway or peering connection: what a
    // route to this network targets.
    opt("gateway", Ty::String),
    TAGS,
];

pub const EXPECT_FROM: &[Kind] = &[Kind::Subnet, Kind::RemoteNetwork];

const EXPECT: &[AttrSpec] = &[
    req("from", Ty::RefAny(EXPECT_FROM)),
    req("to", Ty::StringOrRef(Kind::EndpointService)),
    opt("private", Ty::Bool),
    flag("reachable", true),
    TAGS,
];

/// Every block keyword the language has, for did-you-mean on unknown blocks.
pub fn block_keywords() -> impl Iterator<Item = &'static str> {
    Kind::ALL
        .iter()
        .map(|k| k.keyword())
        .chain(["variable", "locals", "output", "module"])
}
