//! availability rules.

mod endpoint_az_gap;
mod endpoint_quota;
mod gateway_route_gap;
mod single_az_endpoint;

pub use endpoint_az_gap::EndpointAzGap;
pub use endpoint_quota::EndpointQuota;
pub use gateway_route_gap::GatewayRouteGap;
pub use single_az_endpoint::SingleAzEndpoint;
