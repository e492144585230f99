//! Interface endpoint rules (V4xx): subnets, private DNS, IP address types, the
//! service an interface endpoint names, its security groups and cross-region access.
//!
//! Shared helpers live here: which endpoints are interface endpoints, whether private
//! DNS is on (with the language's defaults), and how a message names things.

mod cross_region_not_allowed;
mod endpoint_unreachable_sg;
mod inbound_resolver_needs_gateway;
mod interface_invalid_attribute;
mod interface_multiple_subnets_per_az;
mod interface_no_subnets;
mod ip_type_needs_ipv6;
mod private_dns_before_acceptance;
mod private_dns_conflict;
mod private_dns_needs_vpc_dns;
mod private_dns_without_name;
mod service_not_in_catalogue;
mod unknown_service;

pub use cross_region_not_allowed::CrossRegionNotAllowed;
pub use endpoint_unreachable_sg::EndpointUnreachableSg;
pub use inbound_resolver_needs_gateway::InboundResolverNeedsGateway;
pub use interface_invalid_attribute::InterfaceInvalidAttribute;
pub use interface_multiple_subnets_per_az::InterfaceMultipleSubnetsPerAz;
pub use interface_no_subnets::InterfaceNoSubnets;
pub use ip_type_needs_ipv6::IpTypeNeedsIpv6;
pub use private_dns_before_acceptance::PrivateDnsBeforeAcceptance;
pub use private_dns_conflict::PrivateDnsConflict;
pub use private_dns_needs_vpc_dns::PrivateDnsNeedsVpcDns;
pub use private_dns_without_name::PrivateDnsWithoutName;
pub use service_not_in_catalogue::ServiceNotInCatalogue;
pub use unknown_service::UnknownService;

use vpce_diagnostics::Span;
use vpce_model::{Endpoint, EndpointService, EndpointType, Id, Model, ServiceRef, Subnet};

use crate::service::Service;

/// The interface endpoints of the model, in source order. Endpoints whose `type` is
/// missing or invalid are skipped (the front end reported them).
pub(crate) fn interface_endpoints(
    model: &Model,
) -> impl Iterator<Item = (Id<Endpoint>, &Endpoint)> {
    model
        .endpoints
        .iter()
        .filter(|(_, e)| e.endpoint_type.as_ref().map(|t| t.value) == Some(EndpointType::Interface))
}

/// Whether an interface endpoint has private DNS, and where that is decided.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct PrivateDns {
    /// `private_dns = true`, or not written and on by default.
    pub on: bool,
    /// The `private_dns` value when written.
    pub written: Option<Span>,
}

/// Private DNS of an interface endpoint: `private_dns` when written, else the
/// language's default: on for AWS services, off for endpoint services (docs/language.md).
///
/// `None` when it cannot be known: the attribute is not written and the service did
/// not resolve, or the endpoint is existing (`id`), whose setting vpce cannot see.
pub(crate) fn private_dns(endpoint: &Endpoint, service: Option<&Service>) -> Option<PrivateDns> {
    if let Some(written) = &endpoint.private_dns {
        return Some(PrivateDns {
            on: written.value,
            written: Some(written.span),
        });
    }
    if endpoint.common.is_existing() {
        return None;
    }
    let on = vpce_model::service::private_dns_default(Some(service?));
    Some(PrivateDns { on, written: None })
}

/// Whether a service is known to have no private DNS name (so private DNS can neither
/// conflict nor need the VPC's DNS attributes): an AWS service the catalogue lists
/// without one, or an endpoint service created here without `private_dns_name` (V410).
/// Unknown AWS services are assumed to have one, as nearly every service does; an
/// existing endpoint service may have one that vpce cannot see.
pub(crate) fn lacks_private_dns_name(model: &Model, service: &Service) -> bool {
    match service {
        Service::Aws {
            catalogue: Some(entry),
            ..
        } => entry.private_dns.is_none(),
        Service::Local(id) => local_service_lacks_private_dns_name(model, *id),
        _ => false,
    }
}

/// An endpoint service created by this configuration with no `private_dns_name`
/// written (a written but invalid one was reported already, so it does not count).
pub(crate) fn local_service_lacks_private_dns_name(model: &Model, id: Id<EndpointService>) -> bool {
    let common = &model.endpoint_services[id].common;
    !common.is_existing() && common.value_span("private_dns_name").is_none()
}

/// The interface endpoints that write `private_dns = true` to an endpoint service of
/// this configuration, with that service and the span of the `true`.
pub(crate) fn private_dns_to_local_service(
    model: &Model,
) -> impl Iterator<Item = (Id<Endpoint>, &Endpoint, Id<EndpointService>, Span)> {
    interface_endpoints(model).filter_map(|(id, endpoint)| {
        let written = endpoint.private_dns.as_ref().filter(|p| p.value)?;
        match endpoint.service.as_ref()?.value {
            ServiceRef::Local(service) => Some((id, endpoint, service, written.span)),
            ServiceRef::Named(_) => None,
        }
    })
}

/// The endpoints V411 reports: private DNS requested at creation to a local service
/// that requires acceptance and has a private DNS name. V607 leaves them to V411, so
/// the one cause, acceptance required, gives one diagnostic.
pub(crate) fn private_dns_waits_for_acceptance(model: &Model, endpoint: &Endpoint) -> bool {
    let requested = endpoint.private_dns.as_ref().is_some_and(|p| p.value)
        && endpoint.endpoint_type.as_ref().map(|t| t.value) == Some(EndpointType::Interface);
    let Some(ServiceRef::Local(service_id)) = endpoint.service.as_ref().map(|s| &s.value) else {
        return false;
    };
    let service = &model.endpoint_services[*service_id];
    let common = &service.common;
    requested
        && service.acceptance_required
        && !(common.value_span("acceptance_required").is_none() && common.is_existing())
        && !local_service_lacks_private_dns_name(model, *service_id)
}

/// `subnet.name`.
pub(crate) fn subnet_address(model: &Model, subnet: Id<Subnet>) -> String {
    model.subnets[subnet].common.address.clone()
}

/// How a service is named in messages: `ssm`, `com.amazonaws.us-east-1.s3`,
/// `endpoint_service.api`, or a foreign service's full name.
pub(crate) fn service_display(model: &Model, service: &Service) -> String {
    match service {
        Service::Aws { name, .. } => name.clone(),
        Service::Local(id) => model.endpoint_services[*id].common.address.clone(),
        Service::Foreign { name, .. } => name.clone(),
    }
}

/// The items of a string list, in the user's terms: `` `a`, `b` and `c` ``.
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|i| format!("`{i}`")).collect();
            format!("{} and `{last}`", init.join(", "))
        }
    }
}

#[cfg(test)]
use crate::testing::{first_of, lines_of};

/// Test support: [`BASE`] and a clean interface `endpoint "e"` whose `service` is the
/// HCL expression `service` (line 35).
#[cfg(test)]
pub(crate) fn interface_endpoint_to(service: &str) -> String {
    format!(
        r#"{BASE}endpoint "e" {{
  type            = "interface"
  service         = {service}
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.b]
  security_groups = [security_group.endpoints]
}}
"#
    )
}

/// Test support: [`BASE`] with an existing network load balancer, `endpoint_service
/// "api"` on it (with `service_extra` lines) and an interface `endpoint "api"` to that
/// service (with `endpoint_extra` lines). The endpoint's extra lines start at line 49
/// plus the number of `service_extra` lines.
#[cfg(test)]
pub(crate) fn local_service_config(service_extra: &str, endpoint_extra: &str) -> String {
    format!(
        r#"{BASE}load_balancer "api" {{
  type = "network"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/api/0123456789abcdef"
  azs  = ["euw1-az1", "euw1-az2"]
}}

endpoint_service "api" {{
  load_balancers = [load_balancer.api]
{service_extra}}}

endpoint "api" {{
  type            = "interface"
  service         = endpoint_service.api
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.b]
  security_groups = [security_group.endpoints]
{endpoint_extra}}}
"#
    )
}

/// Test support: a VPC in eu-west-1 with DNS hostnames, two subnets in two AZs, and a
/// security group admitting HTTPS from the VPC: the surroundings of a clean interface
/// endpoint. Lines 1-33.
#[cfg(test)]
pub(crate) const BASE: &str = r#"region = "eu-west-1"

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}

route_table "private" { vpc = vpc.main }

subnet "a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}

subnet "b" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.2.0/24"
  route_table = route_table.private
}

security_group "endpoints" {
  vpc = vpc.main
  ingress {
    protocol = "tcp"
    ports    = 443
    cidrs    = [vpc.main.cidr]
  }
}

"#;
