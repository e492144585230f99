//! interface rules.

mod cross_region_not_allowed;
mod endpoint_unreachable_sg;
mod inbound_resolver_needs_gateway;
mod interface_invalid_attribute;
mod interface_multiple_subnets_per_az;
mod interface_no_subnets;
mod ip_type_needs_ipv6;
mod private_dns_conflict;
mod private_dns_needs_vpc_dns;
mod unknown_service;

pub use cross_region_not_allowed::CrossRegionNotAllowed;
pub use endpoint_unreachable_sg::EndpointUnreachableSg;
pub use inbound_resolver_needs_gateway::InboundResolverNeedsGateway;
pub use interface_invalid_attribute::InterfaceInvalidAttribute;
pub use interface_multiple_subnets_per_az::InterfaceMultipleSubnetsPerAz;
pub use interface_no_subnets::InterfaceNoSubnets;
pub use ip_type_needs_ipv6::IpTypeNeedsIpv6;
pub use private_dns_conflict::PrivateDnsConflict;
pub use private_dns_needs_vpc_dns::PrivateDnsNeedsVpcDns;
pub use unknown_service::UnknownService;
