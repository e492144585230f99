//! Availability rules (V8xx): zones, route coverage and quotas.
//!
//! Shared vocabulary of the area:
//! - a *forwarding subnet* holds a Gateway Load Balancer endpoint or a NAT gateway.
//!   AWS's designs give both a subnet of their own (a GWLB endpoint must not share a
//!   subnet with the servers it protects, V502; NAT gateways sit in public subnets), so
//!   no client of an interface endpoint is assumed to run there (V800, V801);
//! - the zones of an interface endpoint are the AZ ids of its subnets.

mod endpoint_az_gap;
mod endpoint_quota;
mod gateway_route_gap;
mod single_az_endpoint;

pub use endpoint_az_gap::EndpointAzGap;
pub use endpoint_quota::EndpointQuota;
pub use gateway_route_gap::GatewayRouteGap;
pub use single_az_endpoint::SingleAzEndpoint;

use std::collections::{BTreeMap, BTreeSet};

use vpce_model::{Endpoint, EndpointService, EndpointType, Id, Model, Spanned, Subnet, Vpc};

use crate::{net::subnet_az, service::Service};

/// What the zone rules (V800, V801) know about a configuration, indexed once so that
/// each rule is linear in the size of the configuration.
pub(super) struct Zones {
    /// Every subnet of each VPC whose AZ is known, in source order, with its AZ id.
    by_vpc: BTreeMap<Id<Vpc>, Vec<(Id<Subnet>, String)>>,
    /// Subnets used by at least one interface endpoint: the best examples to suggest.
    endpoint_subnets: BTreeSet<Id<Subnet>>,
    /// For each VPC, the AZs of its subnets that are not forwarding subnets.
    clients: BTreeMap<Id<Vpc>, BTreeMap<String, Vec<Id<Subnet>>>>,
}

impl Zones {
    pub fn new(model: &Model) -> Zones {
        let mut by_vpc: BTreeMap<Id<Vpc>, Vec<(Id<Subnet>, String)>> = BTreeMap::new();
        for (id, subnet) in model.subnets.iter() {
            let (Some(vpc), Some(az)) = (subnet.vpc, subnet_az(model, id)) else {
                continue;
            };
            by_vpc.entry(vpc).or_default().push((id, az.id.clone()));
        }
        let mut forwarding: BTreeSet<Id<Subnet>> = model
            .nat_gateways
            .iter()
            .filter_map(|(_, n)| n.subnet)
            .collect();
        let mut endpoint_subnets = BTreeSet::new();
        for (_, endpoint) in model.endpoints.iter() {
            let subnets = endpoint.subnets.iter().map(|s| s.value);
            match endpoint.endpoint_type.as_ref().map(|t| t.value) {
                Some(EndpointType::GatewayLoadBalancer) => forwarding.extend(subnets),
                Some(EndpointType::Interface) => endpoint_subnets.extend(subnets),
                _ => {}
            }
        }
        let mut clients: BTreeMap<Id<Vpc>, BTreeMap<String, Vec<Id<Subnet>>>> = BTreeMap::new();
        for (vpc, subnets) in &by_vpc {
            for (subnet, az) in subnets {
                if !forwarding.contains(subnet) {
                    let azs = clients.entry(*vpc).or_default();
                    azs.entry(az.clone()).or_default().push(*subnet);
                }
            }
        }
        Zones {
            by_vpc,
            endpoint_subnets,
            clients,
        }
    }

    /// The AZs of a VPC where clients can run (subnets that are not forwarding
    /// subnets), each with its subnets in source order.
    pub fn client_azs(&self, vpc: Id<Vpc>) -> &BTreeMap<String, Vec<Id<Subnet>>> {
        static EMPTY: BTreeMap<String, Vec<Id<Subnet>>> = BTreeMap::new();
        self.clients.get(&vpc).unwrap_or(&EMPTY)
    }

    /// Every AZ where a VPC has a subnet, forwarding subnets included.
    pub fn vpc_azs(&self, vpc: Id<Vpc>) -> BTreeSet<&str> {
        self.by_vpc
            .get(&vpc)
            .into_iter()
            .flatten()
            .map(|(_, az)| az.as_str())
            .collect()
    }

    /// The subnet to suggest among `subnets` (all in one AZ): one that another interface
    /// endpoint already uses, else the first.
    pub fn example(&self, subnets: &[Id<Subnet>]) -> Option<Id<Subnet>> {
        subnets
            .iter()
            .find(|s| self.endpoint_subnets.contains(s))
            .or(subnets.first())
            .copied()
    }
}

/// An interface endpoint, with the VPC it is in.
pub(super) fn interface_endpoint(endpoint: &Endpoint) -> Option<Id<Vpc>> {
    match endpoint.endpoint_type.as_ref()?.value {
        EndpointType::Interface => endpoint.vpc,
        _ => None,
    }
}

/// The AZ ids of an endpoint's subnets, each with the subnets listed in it. `None` when
/// it has no subnets (V400), or a subnet's AZ is unknown (V204) or its VPC is not the
/// endpoint's (V206): the zones are then not known well enough to judge.
pub(super) fn endpoint_azs(
    model: &Model,
    endpoint: &Endpoint,
    vpc: Id<Vpc>,
) -> Option<BTreeMap<String, Vec<Spanned<Id<Subnet>>>>> {
    if endpoint.subnets.is_empty() {
        return None;
    }
    let mut azs: BTreeMap<String, Vec<Spanned<Id<Subnet>>>> = BTreeMap::new();
    for subnet in &endpoint.subnets {
        if model.subnets[subnet.value].vpc != Some(vpc) {
            return None;
        }
        let az = subnet_az(model, subnet.value)?;
        azs.entry(az.id.clone()).or_default().push(subnet.clone());
    }
    Some(azs)
}

/// An endpoint service of this configuration and the AZ ids it runs in.
pub(super) type ServiceAzs = (Id<EndpointService>, BTreeSet<String>);

/// The AZ ids an endpoint service of this configuration runs in, when the endpoint
/// connects to one and the zones of all its load balancers are known (their subnets'
/// AZs, or an existing load balancer's `azs`). AWS services and other accounts'
/// services give `None`: vpce has no zone data for them.
pub(super) fn service_azs(model: &Model, endpoint: &Endpoint) -> Option<ServiceAzs> {
    let &Service::Local(id) = endpoint.resolved_service.as_ref()? else {
        return None;
    };
    let service = &model.endpoint_services[id];
    if service.load_balancers.is_empty() {
        return None;
    }
    let mut azs = BTreeSet::new();
    for lb in &service.load_balancers {
        let lb = &model.load_balancers[lb.value];
        if lb.subnets.is_empty() && lb.azs.is_empty() {
            return None;
        }
        for subnet in &lb.subnets {
            azs.insert(subnet_az(model, subnet.value)?.id.clone());
        }
        for az in &lb.azs {
            azs.insert(az.value.az.as_ref()?.id.clone());
        }
    }
    Some((id, azs))
}

/// "`a`", "`a` and `b`", "`a`, `b` and `c`".
pub(super) fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{}`", i.as_ref())).collect();
    prose_list(&quoted)
}

/// "a", "a and b", "a, b and c".
pub(super) fn prose_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::and_list;

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(and_list::<&str>(&[]), "");
        assert_eq!(and_list(&["a"]), "`a`");
        assert_eq!(and_list(&["a", "b"]), "`a` and `b`");
        assert_eq!(and_list(&["a", "b", "c"]), "`a`, `b` and `c`");
    }
}
