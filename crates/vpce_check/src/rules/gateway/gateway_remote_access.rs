use std::collections::BTreeMap;

use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{Endpoint, EndpointType, Expect, ExpectTarget, Id, Kind, Model, Via, Vpc};

use super::{gateway_endpoints, gateway_service};
use crate::{service::Service, Rule, RuleCx};

/// V305: traffic from outside a VPC that expects an AWS service the VPC serves only
/// through a gateway endpoint.
///
/// A gateway endpoint is a prefix-list route in the route tables of its own VPC: only
/// traffic that starts in a subnet using those tables follows it. Traffic that enters
/// the VPC over Site-to-Site VPN, Direct Connect, a peering connection or a transit
/// gateway (a `remote_network`) never does, whatever region it comes from; an interface
/// endpoint, whose network interfaces have addresses in the VPC, serves it (AWS-FACTS
/// §3.4 C13, UNCONFIRMED by a primary source in vpce's facts).
///
/// Reported for each `expect` with `from = remote_network.X` and `to` an AWS service,
/// when the remote network's VPC has a gateway endpoint for that service and no
/// interface endpoint for it. When the VPC has no endpoint for the service at all, the
/// expectation fails for another reason, which the reachability rules (V9xx) report.
/// An `expect` with `reachable = false` agrees with AWS and is not reported.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html>.
pub struct GatewayRemoteAccess;

/// What a VPC has for one AWS service.
#[derive(Default)]
struct Serving {
    gateways: Vec<Id<Endpoint>>,
    interface: bool,
}

/// Which AWS services each VPC serves only through gateway endpoints: V305's index,
/// built once. It is V305's exact condition, so V900 can leave precisely these
/// expectations to V305.
pub(crate) struct GatewayOnly {
    /// (VPC, service short name) -> its gateway endpoints in the VPC's region, and
    /// whether an interface endpoint for the service exists (in any region: a reason
    /// not to report).
    by_vpc: BTreeMap<(Id<Vpc>, String), Serving>,
}

impl GatewayOnly {
    pub(crate) fn new(model: &Model) -> GatewayOnly {
        let mut by_vpc: BTreeMap<(Id<Vpc>, String), Serving> = BTreeMap::new();
        for (id, endpoint) in gateway_endpoints(model) {
            let (Some(Service::Aws { name, region, .. }), Some(vpc)) =
                (gateway_service(endpoint), endpoint.vpc)
            else {
                continue;
            };
            if model.vpc_region(vpc).is_some_and(|r| r.value != *region) {
                continue;
            }
            by_vpc
                .entry((vpc, name.clone()))
                .or_default()
                .gateways
                .push(id);
        }
        for (_, endpoint) in model.endpoints.iter() {
            if endpoint.endpoint_type.as_ref().map(|t| t.value) != Some(EndpointType::Interface) {
                continue;
            }
            let (Some(Service::Aws { name, .. }), Some(vpc)) =
                (endpoint.resolved_service.as_ref(), endpoint.vpc)
            else {
                continue;
            };
            by_vpc.entry((vpc, name.clone())).or_default().interface = true;
        }
        GatewayOnly { by_vpc }
    }

    /// V305's finding for one expectation: the AWS service it expects (short name) and
    /// the gateway endpoints that are all its remote network's VPC has for it. `None`
    /// unless the expectation is from a remote network, expects the service to be
    /// reachable, and the VPC has a gateway endpoint and no interface endpoint for it.
    pub(crate) fn for_expect<'a>(
        &'a self,
        model: &'a Model,
        expect: &'a Expect,
    ) -> Option<(&'a str, &'a [Id<Endpoint>])> {
        let (from, to) = (expect.from.as_ref()?, expect.to.as_ref()?);
        if !expect.reachable || from.value.kind != Kind::RemoteNetwork {
            return None;
        }
        let ExpectTarget::Service(text) = &to.value else {
            return None;
        };
        let remote = &model.remote_networks[Id::new(from.value.index as usize)];
        let vpc = remote.vpc?;
        let vpc_region = model.vpc_region(vpc).map(|r| r.value.as_str());
        let name = match vpce_data::parse_aws_service_name(text.trim()) {
            Some((region, name)) if vpc_region.is_none_or(|r| r == region) => name,
            Some(_) => return None,
            None => text.trim(),
        };
        let found = self.by_vpc.get(&(vpc, name.to_string()))?;
        (!found.interface && !found.gateways.is_empty()).then_some((name, &found.gateways))
    }
}

fn arrives(via: Option<Via>) -> &'static str {
    match via {
        Some(Via::Vpn) => "arrives over Site-to-Site VPN",
        Some(Via::DirectConnect) => "arrives over Direct Connect",
        Some(Via::Peering) => "arrives through a peering connection",
        Some(Via::TransitGateway) => "arrives through a transit gateway",
        None => "comes from outside the VPC",
    }
}

impl Rule for GatewayRemoteAccess {
    fn code(&self) -> Code {
        Code::GatewayRemoteAccess
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let gateway_only = GatewayOnly::new(model);
        for (_, expect) in model.expects.iter() {
            let Some((name, gateways)) = gateway_only.for_expect(model, expect) else {
                continue;
            };
            let (Some(from), Some(to)) = (&expect.from, &expect.to) else {
                continue;
            };
            let remote = &model.remote_networks[Id::new(from.value.index as usize)];
            let Some(vpc) = remote.vpc else { continue };
            let remote_address = model.address(from.value);
            let vpc_address = model.address(vpc.obj_ref());
            let via = arrives(remote.via.as_ref().map(|v| v.value));
            let mut diagnostic = Diagnostic::new(
                Code::GatewayRemoteAccess,
                format!(
                    "traffic from `{remote_address}` cannot reach `{name}`: `{vpc_address}` serves `{name}` only through a gateway endpoint"
                ),
            )
            .with_label(
                to.span,
                format!("`{vpc_address}` has only a gateway endpoint for `{name}`"),
            )
            .with_label(from.span, format!("this traffic {via}"));
            for gateway in gateways {
                let endpoint = &model.endpoints[*gateway];
                diagnostic = diagnostic.with_label(
                    endpoint.common.header,
                    format!("serves only traffic that starts inside `{vpc_address}`"),
                );
            }
            let has_interface = vpce_data::service(name).is_some_and(|s| s.interface);
            let help = if has_interface {
                format!(
                    "add an interface endpoint for `{name}` in `{vpc_address}` (`type = \"interface\"`, one subnet per AZ) whose security group admits TCP 443 from `{remote_address}`'s CIDRs"
                )
            } else {
                format!("reach `{name}` from a subnet of `{vpc_address}`: it has no interface endpoints")
            };
            cx.report(
                diagnostic
                    .with_note(format!(
                        "a gateway endpoint is a route in the route tables of its VPC's subnets: only traffic that starts in those subnets follows it, and traffic that {via} does not"
                    ))
                    .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    const HEAD: &str = r#"region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

route_table "private" { vpc = vpc.main }

remote_network "office" {
  vpc   = vpc.main
  via   = "vpn"
  cidrs = ["192.168.0.0/16"]
}

endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
}
"#;

    fn v305(hcl: &str) -> Vec<(&'static str, usize)> {
        codes_and_lines(hcl)
            .into_iter()
            .filter(|(c, _)| *c == "V305")
            .collect()
    }

    #[test]
    fn remote_network_to_a_gateway_only_service() {
        let hcl = format!(
            r#"{HEAD}
expect "office_s3" {{
  from = remote_network.office
  to   = "s3"
}}

expect "office_s3_full_name" {{
  from = remote_network.office
  to   = "com.amazonaws.eu-west-1.s3"
}}
"#
        );
        assert_eq!(v305(&hcl), [("V305", 22), ("V305", 27)]);
    }

    #[test]
    fn an_interface_endpoint_serves_it() {
        let hcl = format!(
            r#"{HEAD}
subnet "a" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}}

endpoint "s3_interface" {{
  type    = "interface"
  service = "s3"
  vpc     = vpc.main
  subnets = [subnet.a]
}}

expect "office_s3" {{
  from = remote_network.office
  to   = "s3"
}}
"#
        );
        assert_eq!(v305(&hcl), []);
    }

    #[test]
    fn subnets_unreachable_expectations_and_other_services_are_not_reported() {
        let hcl = format!(
            r#"{HEAD}
subnet "a" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}}

expect "app_s3" {{
  from = subnet.a
  to   = "s3"
}}

expect "office_no_s3" {{
  from      = remote_network.office
  to        = "s3"
  reachable = false
}}

expect "office_dynamodb" {{
  from = remote_network.office
  to   = "dynamodb"
}}
"#
        );
        assert_eq!(v305(&hcl), []);
    }
}
