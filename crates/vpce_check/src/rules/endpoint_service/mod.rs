//! endpoint_service rules.

mod invalid_principal;
mod open_service;
mod service_az_mismatch;
mod service_ip_type_mismatch;
mod service_load_balancer_mix;
mod service_private_dns;
mod service_regions;

pub use invalid_principal::InvalidPrincipal;
pub use open_service::OpenService;
pub use service_az_mismatch::ServiceAzMismatch;
pub use service_ip_type_mismatch::ServiceIpTypeMismatch;
pub use service_load_balancer_mix::ServiceLoadBalancerMix;
pub use service_private_dns::ServicePrivateDns;
pub use service_regions::ServiceRegions;
