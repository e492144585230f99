//! Endpoint service rules (V6xx): the provider side of PrivateLink, and how consumer
//! endpoints of this configuration fit the endpoint services it declares.

mod acceptance_pending;
mod invalid_principal;
mod listener_invalid;
mod load_balancer_shared;
mod open_service;
mod service_az_mismatch;
mod service_ip_type_mismatch;
mod service_ipv6_needs_dualstack;
mod service_load_balancer_mix;
mod service_private_dns;
mod service_regions;

pub use acceptance_pending::AcceptancePending;
pub use invalid_principal::InvalidPrincipal;
pub use listener_invalid::ListenerInvalid;
pub use load_balancer_shared::LoadBalancerShared;
pub use open_service::OpenService;
pub use service_az_mismatch::ServiceAzMismatch;
pub use service_ip_type_mismatch::ServiceIpTypeMismatch;
pub use service_ipv6_needs_dualstack::ServiceIpv6NeedsDualstack;
pub use service_load_balancer_mix::ServiceLoadBalancerMix;
pub use service_private_dns::ServicePrivateDns;
pub use service_regions::ServiceRegions;

use vpce_model::{EndpointService, Id, LoadBalancer, LoadBalancerType, Model, Object, Spanned};

use crate::net::{subnet_az, Az};

/// `endpoint_service.api`, as a reference is written.
fn address<T: Object>(model: &Model, id: Id<T>) -> String {
    model.address(id.obj_ref())
}

/// The load balancers of a service whose type is known, with the span of their item in
/// `load_balancers`.
fn typed_load_balancers<'m>(
    model: &'m Model,
    service: &'m EndpointService,
) -> impl Iterator<Item = (LoadBalancerType, &'m Spanned<Id<LoadBalancer>>)> + 'm {
    service.load_balancers.iter().filter_map(move |item| {
        let lb = &model.load_balancers[item.value];
        Some((lb.lb_type.as_ref()?.value, item))
    })
}

/// Where a load balancer runs: the zones of its subnets when it is created here, its
/// `azs` when it exists already. `None` when any zone is unknown or none is given:
/// then nothing can be said about the zones it does not serve.
fn load_balancer_azs<'m>(model: &'m Model, lb: &'m LoadBalancer) -> Option<Vec<&'m Az>> {
    let azs: Vec<&Az> = if lb.common.is_existing() {
        lb.azs
            .iter()
            .map(|az| az.value.az.as_ref())
            .collect::<Option<_>>()?
    } else {
        lb.subnets
            .iter()
            .map(|subnet| subnet_az(model, subnet.value))
            .collect::<Option<_>>()?
    };
    (!azs.is_empty()).then_some(azs)
}

/// The zones an endpoint service's load balancers run in, all written the same way (AZ
/// ids, or AZ names) and all in one region.
#[derive(Clone, Debug)]
struct ServiceAzs {
    /// Sorted and without repeats.
    azs: Vec<Az>,
    region: String,
    by_name: bool,
}

impl ServiceAzs {
    /// `None` when a load balancer's zones are unknown, when the service has no load
    /// balancer, or when ids and names are mixed (names map to zones per account, so a
    /// name cannot be compared with an id) or regions are mixed.
    fn of(model: &Model, service: &EndpointService) -> Option<ServiceAzs> {
        let mut azs = Vec::new();
        for item in &service.load_balancers {
            let lb = &model.load_balancers[item.value];
            azs.extend(load_balancer_azs(model, lb)?.into_iter().cloned());
        }
        azs.sort();
        azs.dedup();
        let first = azs.first()?.clone();
        azs.iter()
            .all(|az| az.region == first.region && az.by_name == first.by_name)
            .then_some(ServiceAzs {
                azs,
                region: first.region,
                by_name: first.by_name,
            })
    }

    /// Whether `az` can be compared with these zones, and then whether it is one of them.
    fn serves(&self, az: &Az) -> Option<bool> {
        (az.region == self.region && az.by_name == self.by_name)
            .then(|| self.azs.iter().any(|own| own.id == az.id))
    }
}

/// `a`, `a` and `b`, `a`, `b` and `c` (with `word` for "and").
fn join(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

/// An AZ as the user writes it: its id, or its name when it was given by name.
fn shown(az: &Az) -> String {
    if az.by_name {
        let name = vpce_data::region(&az.region)
            .and_then(|region| region.azs.iter().find(|known| known.id == az.id))
            .map_or(az.id.as_str(), |known| known.name.as_str());
        format!("`{name}`")
    } else {
        format!("`{}`", az.id)
    }
}

#[cfg(test)]
use crate::testing::lines_of;
