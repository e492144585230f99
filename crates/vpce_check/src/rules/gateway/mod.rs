//! Gateway endpoint rules (V3xx): which services they serve, what they take, and the
//! prefix-list routes they add.
//!
//! A gateway endpoint is not a network interface: AWS adds a route for the service's
//! prefix list to each table in `route_tables`, and only traffic that starts in the
//! subnets using those tables follows it. Every rule here but V300 looks only at
//! endpoints whose service has gateway endpoints: when V300 fires, the endpoint was
//! most likely meant to be an interface endpoint, and its other findings would be noise.

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

// V305's exact condition, for V900 (`rules::expect`) to leave to V305 precisely the
// expectations V305 reports (not yet used there: see `vpce_reach`'s `refused_by_gateway`).
pub(crate) use gateway_remote_access::GatewayOnly;

use vpce_model::{Common, Endpoint, EndpointType, Id, Model};

use crate::service::Service;

/// The endpoints of type `gateway`, in source order.
fn gateway_endpoints(model: &Model) -> impl Iterator<Item = (Id<Endpoint>, &Endpoint)> {
    model
        .endpoints
        .iter()
        .filter(|(_, e)| e.endpoint_type.as_ref().map(|t| t.value) == Some(EndpointType::Gateway))
}

/// Whether AWS offers gateway endpoints for this service: only the catalogue's
/// gateway services (`s3`, `dynamodb`, `s3express`). An AWS name the catalogue does not
/// know is not one of them, and an endpoint service never is.
fn has_gateway_endpoints(service: &Service) -> bool {
    matches!(service, Service::Aws { catalogue: Some(c), .. } if c.gateway)
}

/// A gateway endpoint's service when it has gateway endpoints; `None` when the service
/// is missing, unresolvable, or one V300 reports.
fn gateway_service(endpoint: &Endpoint) -> Option<&Service> {
    endpoint
        .resolved_service
        .as_ref()
        .filter(|service| has_gateway_endpoints(service))
}

/// Whether V300 reports this endpoint's service (the other gateway rules then stay
/// quiet about the endpoint).
fn unsupported(endpoint: &Endpoint) -> bool {
    endpoint
        .resolved_service
        .as_ref()
        .is_some_and(|s| !has_gateway_endpoints(s))
}

/// The short names of the services with gateway endpoints, sorted.
fn gateway_service_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = vpce_data::services()
        .iter()
        .filter(|s| s.gateway)
        .map(|s| s.name.as_str())
        .collect();
    names.sort_unstable();
    names
}

/// `a`, `a` and `b`, `a`, `b` and `c`: names in backticks as prose.
pub(crate) fn backticked_list<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Whether a list attribute that resolved to no items was written empty (`[]`), as
/// opposed to not written at all or written with items that failed to resolve (the
/// front end has reported those: the model marks the attribute rejected).
pub(crate) fn written_empty(common: &Common, attr: &str) -> bool {
    common.value_span(attr).is_some() && !common.is_rejected(attr)
}

/// A gateway endpoint whose service (one with gateway endpoints) is in a known region
/// other than its VPC's: V302's finding. Returns the service's region and the VPC's
/// region as set (its own `region`, or the top-level one).
fn cross_region<'m>(
    model: &'m Model,
    endpoint: &Endpoint,
) -> Option<(String, &'m vpce_model::Spanned<String>)> {
    let Service::Aws { region, .. } = gateway_service(endpoint)? else {
        return None;
    };
    let vpc_region = model.vpc_region(endpoint.vpc?)?;
    let known = vpce_data::region(region).is_some() && vpce_data::region(vpc_region).is_some();
    (known && *region != vpc_region.value).then(|| (region.clone(), vpc_region))
}

/// Whether an endpoint's `service_region` is written and names its VPC's own region:
/// the only case where the attribute itself is the whole problem (another region is
/// V302's or V408's finding, an unknown one V114's).
pub(crate) fn names_own_region(model: &Model, endpoint: &Endpoint) -> bool {
    let (Some(written), Some(vpc)) = (&endpoint.service_region, endpoint.vpc) else {
        return false;
    };
    model
        .vpc_region(vpc)
        .is_some_and(|region| region.value == written.value)
}
