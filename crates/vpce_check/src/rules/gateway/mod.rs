//! gateway rules.

mod gateway_cross_region;
mod gateway_duplicate_route;
mod gateway_invalid_attribute;
mod gateway_no_route_tables;
mod gateway_remote_access;
mod gateway_unsupported_service;

pub use gateway_cross_region::GatewayCrossRegion;
pub use gateway_duplicate_route::GatewayDuplicateRoute;
pub use gateway_invalid_attribute::GatewayInvalidAttribute;
pub use gateway_no_route_tables::GatewayNoRouteTables;
pub use gateway_remote_access::GatewayRemoteAccess;
pub use gateway_unsupported_service::GatewayUnsupportedService;
