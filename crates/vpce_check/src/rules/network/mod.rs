//! Network rules (V2xx): addresses, zones, routes and capacity.

mod az_name_not_id;
mod az_region_mismatch;
mod cidr_size;
mod cross_vpc_reference;
mod duplicate_route;
mod invalid_cidr;
mod ipv6_without_vpc_ipv6;
mod reserved_address;
mod route_overlaps_local;
mod security_group_rule_quota;
mod subnet_exhausted;
mod subnet_outside_vpc;
mod subnet_overlap;

pub use az_name_not_id::AzNameNotId;
pub use az_region_mismatch::AzRegionMismatch;
pub use cidr_size::CidrSize;
pub use cross_vpc_reference::CrossVpcReference;
pub use duplicate_route::DuplicateRoute;
pub use invalid_cidr::InvalidCidr;
pub use ipv6_without_vpc_ipv6::Ipv6WithoutVpcIpv6;
pub use reserved_address::ReservedAddress;
pub use route_overlaps_local::RouteOverlapsLocal;
pub use security_group_rule_quota::SecurityGroupRuleQuota;
pub use subnet_exhausted::SubnetExhausted;
pub use subnet_outside_vpc::SubnetOutsideVpc;
pub use subnet_overlap::SubnetOverlap;
