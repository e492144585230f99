use std::collections::BTreeSet;

use ipnet::Ipv4Net;
use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{EndpointType, Id, Kind, Vpc};

use crate::{net::parse_cidr, Rule, RuleCx};

/// V209: a route whose destination is inside its VPC's CIDR, where the implicit
/// `local` route already decides.
///
/// Every route table has a `local` route for the VPC's CIDR. A route to exactly that
/// CIDR collides with it (CloudFormation creates routes, it cannot replace the local
/// one). A more specific route inside it is only accepted for middlebox routing: the
/// target is a Gateway Load Balancer endpoint or a NAT gateway and the destination is
/// the entire CIDR of one subnet of the VPC ("The entire IPv4 or IPv6 CIDR block of a subnet in your VPC.
/// This is a more specific route than the default local route",
/// <https://docs.aws.amazon.com/vpc/latest/userguide/gateway-route-tables.html>).
/// Destinations that contain the VPC's CIDR (`0.0.0.0/0`) are ordinary routes. IPv6
/// destinations are not checked: the VPC's IPv6 block is assigned by Amazon.
pub struct RouteOverlapsLocal;

impl Rule for RouteOverlapsLocal {
    fn code(&self) -> Code {
        Code::RouteOverlapsLocal
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        // Subnet CIDRs by VPC: the destinations a middlebox route may have.
        let subnet_cidrs: BTreeSet<(Id<Vpc>, Ipv4Net)> = model
            .subnets
            .iter()
            .filter_map(|(_, s)| Some((s.vpc?, parse_cidr(s.cidr.as_ref()?)?)))
            .collect();
        for (_, table) in model.route_tables.iter() {
            let Some(vpc_id) = table.vpc else { continue };
            let vpc = &model.vpcs[vpc_id];
            let Some(vpc_cidr) = &vpc.cidr else { continue };
            let Some(vpc_net) = parse_cidr(vpc_cidr) else {
                continue;
            };
            let vpc_name = &vpc.common.name;
            for route in &table.routes {
                let (Some(destination), Some(target)) = (&route.destination, &route.target) else {
                    continue;
                };
                let Some(net) = parse_cidr(destination) else {
                    continue;
                };
                if !vpc_net.contains(&net) {
                    continue;
                }
                let diagnostic = if net == vpc_net {
                    Diagnostic::new(
                        Code::RouteOverlapsLocal,
                        format!(
                            "route table `{}` routes `{net}`, the CIDR of `vpc.{vpc_name}`, which its local route already covers",
                            table.common.name
                        ),
                    )
                    .with_label(destination.span, "the VPC's own CIDR")
                    .with_help("remove this route: traffic within the VPC always follows the local route")
                } else {
                    // AWS allows routes more specific than the local route through a
                    // middlebox: a gateway load balancer endpoint or a NAT gateway
                    // ("subnet route tables", more specific routes).
                    let to_middlebox = match target.value.kind {
                        Kind::NatGateway => true,
                        Kind::Endpoint => {
                            let endpoint = &model.endpoints[Id::new(target.value.index as usize)];
                            let Some(kind) = &endpoint.endpoint_type else {
                                continue;
                            };
                            kind.value == EndpointType::GatewayLoadBalancer
                        }
                        _ => false,
                    };
                    if !to_middlebox {
                        Diagnostic::new(
                            Code::RouteOverlapsLocal,
                            format!(
                                "route table `{}` routes `{net}`, inside the local route of `vpc.{vpc_name}` ({vpc_net})",
                                table.common.name
                            ),
                        )
                        .with_label(destination.span, "more specific than the local route")
                        .with_label(target.span, "not a gateway load balancer endpoint or NAT gateway")
                        .with_help("remove this route: only a gateway load balancer endpoint or a NAT gateway may take traffic for a subnet of the VPC")
                    } else if subnet_cidrs.contains(&(vpc_id, net)) {
                        continue;
                    } else {
                        Diagnostic::new(
                            Code::RouteOverlapsLocal,
                            format!(
                                "route table `{}` routes `{net}` through a middlebox, but that is not the CIDR of a subnet of `vpc.{vpc_name}`",
                                table.common.name
                            ),
                        )
                        .with_label(destination.span, "not a whole subnet")
                        .with_help(format!(
                            "route exactly the CIDR of one subnet of `vpc.{vpc_name}`: more specific routes inside the VPC must cover a whole subnet"
                        ))
                    }
                };
                cx.report(diagnostic.with_label(vpc_cidr.span, "the local route's CIDR"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::net::codes_and_lines;

    /// A workload VPC with an application subnet, a GWLB endpoint in an inspection
    /// subnet, and an edge route table with `route`.
    fn config(route: &str) -> String {
        format!(
            r#"region = "eu-west-1"

vpc "main" {{ cidr = "10.0.0.0/16" }}

internet_gateway "main" {{ vpc = vpc.main }}

subnet "inspection" {{
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.0.0/28"
}}

subnet "app" {{
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}}

endpoint "gwlbe" {{
  type    = "gateway_load_balancer"
  service = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
  vpc     = vpc.main
  subnets = [subnet.inspection]
}}

route_table "ingress" {{
  vpc  = vpc.main
  edge = internet_gateway.main
  route {{
{route}
  }}
}}
"#
        )
    }

    fn route(destination: &str, target: &str) -> String {
        format!("    destination = \"{destination}\"\n    target      = {target}")
    }

    #[test]
    fn whole_subnet_to_gwlb_endpoint_passes() {
        let hcl = config(&route("10.0.1.0/24", "endpoint.gwlbe"));
        assert_eq!(codes_and_lines(&hcl), []);
        let hcl = config(&route("0.0.0.0/0", "internet_gateway.main"));
        assert_eq!(codes_and_lines(&hcl), []);
    }

    #[test]
    fn vpc_cidr_duplicates_local() {
        let hcl = config(&route("10.0.0.0/16", "endpoint.gwlbe"));
        assert_eq!(codes_and_lines(&hcl), [("V209", 30)]);
    }

    #[test]
    fn part_of_a_subnet_to_gwlb_endpoint() {
        let hcl = config(&route("10.0.1.0/25", "endpoint.gwlbe"));
        assert_eq!(codes_and_lines(&hcl), [("V209", 30)]);
    }

    #[test]
    fn subnet_to_internet_gateway() {
        let hcl = config(&route("10.0.1.0/24", "internet_gateway.main"));
        assert_eq!(codes_and_lines(&hcl), [("V209", 30)]);
    }
}
