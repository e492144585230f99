//! Gateway load balancer endpoint rules (V5xx): the endpoint's shape and service, and
//! the routes that send traffic through it.
//!
//! A GWLB endpoint is a route target: subnets (or an internet gateway, through an edge
//! route table) send traffic to it, it hands the traffic to the appliances behind the
//! gateway load balancer, and traffic that comes back continues by the route table of
//! the endpoint's own subnet. The routing rules (V502, V503, V506) follow those hops.
//! The shape rules (V500, V505) stay quiet about an endpoint whose service V501 says is
//! not a gateway load balancer service: it was most likely meant to be another type.

mod gwlb_cross_az;
mod gwlb_invalid_attribute;
mod gwlb_one_subnet;
mod gwlb_routing_loop;
mod gwlb_same_subnet;
mod gwlb_service_type;
mod route_target_not_gwlb;

pub use gwlb_cross_az::GwlbCrossAz;
pub use gwlb_invalid_attribute::GwlbInvalidAttribute;
pub use gwlb_one_subnet::GwlbOneSubnet;
pub use gwlb_routing_loop::GwlbRoutingLoop;
pub use gwlb_same_subnet::GwlbSameSubnet;
pub use gwlb_service_type::GwlbServiceType;
pub use route_target_not_gwlb::RouteTargetNotGwlb;

use std::collections::BTreeMap;

use vpce_model::{
    Endpoint, EndpointService, EndpointType, Id, Kind, LoadBalancerType, Model, ObjRef, RouteTable,
    Subnet,
};

use crate::service::Service;

fn is_type(endpoint: &Endpoint, wanted: EndpointType) -> bool {
    endpoint.endpoint_type.as_ref().map(|t| t.value) == Some(wanted)
}

/// The endpoints of type `gateway_load_balancer`, in source order.
fn gwlb_endpoints(model: &Model) -> impl Iterator<Item = (Id<Endpoint>, &Endpoint)> {
    model
        .endpoints
        .iter()
        .filter(|(_, e)| is_type(e, EndpointType::GatewayLoadBalancer))
}

/// The kind of load balancer behind an endpoint service of this configuration, when it
/// has load balancers and all of them are of one known kind (a mix, or none, is V600's
/// finding; a missing or invalid `type` was reported by the front end).
pub(crate) fn service_backing(
    model: &Model,
    service: Id<EndpointService>,
) -> Option<LoadBalancerType> {
    let mut kinds = model.endpoint_services[service]
        .load_balancers
        .iter()
        .map(|lb| {
            model.load_balancers[lb.value]
                .lb_type
                .as_ref()
                .map(|t| t.value)
        });
    let first = kinds.next()??;
    kinds.all(|k| k == Some(first)).then_some(first)
}

/// Whether a GWLB endpoint's service is known not to be a gateway load balancer
/// service: an AWS service, or a local endpoint service backed by network load
/// balancers. This is V501's finding for GWLB endpoints.
fn not_gwlb_service(model: &Model, endpoint: &Endpoint) -> bool {
    match endpoint.resolved_service.as_ref() {
        Some(Service::Aws { .. }) => true,
        Some(Service::Local(id)) => service_backing(model, *id) == Some(LoadBalancerType::Network),
        Some(Service::Foreign { .. }) | None => false,
    }
}

/// The endpoint a route target names, when it is a gateway load balancer endpoint.
fn gwlb_target(model: &Model, target: ObjRef) -> Option<Id<Endpoint>> {
    if target.kind != Kind::Endpoint {
        return None;
    }
    let id = Id::new(target.index as usize);
    is_type(&model.endpoints[id], EndpointType::GatewayLoadBalancer).then_some(id)
}

/// The one subnet of a GWLB endpoint; `None` when it has none or several (V500).
fn only_subnet(endpoint: &Endpoint) -> Option<Id<Subnet>> {
    match endpoint.subnets.as_slice() {
        [one] => Some(one.value),
        _ => None,
    }
}

/// The subnets that name each route table as their `route_table`, in source order.
fn subnets_by_table(model: &Model) -> BTreeMap<Id<RouteTable>, Vec<Id<Subnet>>> {
    let mut by_table: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for (id, subnet) in model.subnets.iter() {
        if let Some(table) = &subnet.route_table {
            by_table.entry(table.value).or_default().push(id);
        }
    }
    by_table
}
