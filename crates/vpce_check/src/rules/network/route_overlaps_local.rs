use std::collections::BTreeSet;

use ipnet::Ipv4Net;
use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{EndpointType, Id, Kind, Vpc};

use crate::{Rule, RuleCx};

/// V209: a route whose destination is inside its VPC's CIDR, where the implicit
/// `local` route already decides.
///
/// A more specific route inside the VPC is accepted for middlebox routing: the target
/// is a Gateway Load Balancer endpoint or a NAT gateway and the destination is the
/// entire CIDR of one subnet of the VPC
/// (<https://docs.aws.amazon.com/vpc/latest/userguide/gateway-route-tables.html>).
/// A route of the VPC's own CIDR to such a middlebox replaces the local route's target:
/// AWS allows that through the EC2 API (`ReplaceRoute`), but `AWS::EC2::Route` only
/// creates routes and the local route always exists, so the message says CloudFormation
/// cannot express it and the help names the per-subnet routes instead. Destinations
/// that contain the VPC's CIDR (`0.0.0.0/0`) are ordinary routes. IPv6 destinations are
/// not checked: the VPC's IPv6 block is assigned by Amazon.
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
            .filter_map(|(_, s)| Some((s.vpc?, s.cidr.as_ref()?.v4()?)))
            .collect();
        for (table_id, table) in model.route_tables.iter() {
            let Some(vpc_id) = table.vpc else { continue };
            let vpc = &model.vpcs[vpc_id];
            let Some(vpc_cidr) = &vpc.cidr else { continue };
            let Some(vpc_net) = vpc_cidr.v4() else {
                continue;
            };
            let vpc_address = &vpc.common.address;
            for route in &table.routes {
                let (Some(destination), Some(target)) = (&route.destination, &route.target) else {
                    continue;
                };
                let Some(net) = destination.v4() else {
                    continue;
                };
                if !vpc_net.contains(&net) {
                    continue;
                }
                // AWS allows routes inside the VPC's range through a middlebox: a
                // gateway load balancer endpoint or a NAT gateway.
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
                let target_address = model.address(target.value);
                let diagnostic = if net == vpc_net && to_middlebox {
                    // AWS's "VPC routing enhancements" pattern: replace the local
                    // route's target. The EC2 API can (ReplaceRoute); CloudFormation
                    // cannot: `AWS::EC2::Route` only creates routes, and creating one
                    // for the VPC's CIDR collides with the local route.
                    // The subnets this table's own traffic may go to: not its own, and
                    // not the middlebox's.
                    let middlebox_subnets: Vec<_> = match target.value.kind {
                        Kind::Endpoint => model.endpoints[Id::new(target.value.index as usize)]
                            .subnets
                            .iter()
                            .map(|s| s.value)
                            .collect(),
                        _ => model.nat_gateways[Id::new(target.value.index as usize)]
                            .subnet
                            .into_iter()
                            .collect(),
                    };
                    let others: Vec<String> = model
                        .subnets_of(vpc_id)
                        .filter(|(id, s)| {
                            s.route_table.as_ref().map(|t| t.value) != Some(table_id)
                                && !middlebox_subnets.contains(id)
                        })
                        .filter_map(|(_, s)| Some(format!("`{}`", s.cidr.as_ref()?.v4()?)))
                        .collect();
                    let which = match others.len() {
                        0 => "the whole CIDR of each subnet it serves".to_string(),
                        1..=3 => format!(
                            "the whole CIDR of each other subnet ({})",
                            others.join(", ")
                        ),
                        n => format!(
                            "the whole CIDR of each other subnet ({}, and {} more)",
                            others[..3].join(", "),
                            n - 3
                        ),
                    };
                    Diagnostic::new(
                        Code::RouteOverlapsLocal,
                        format!(
                            "route table `{}` replaces the local route of `{vpc_address}` ({net}) with `{target_address}`, which CloudFormation cannot express",
                            table.common.shown()
                        ),
                    )
                    .with_label(destination.span, "the VPC's own CIDR: the local route")
                    .with_label(target.span, "AWS allows this target for the local route, but only through the EC2 API")
                    .with_help(format!(
                        "route {which} to `{target_address}` instead, which CloudFormation can create; a subnet added later, or an address of the VPC outside every subnet, then stays on the local route"
                    ))
                } else if net == vpc_net {
                    Diagnostic::new(
                        Code::RouteOverlapsLocal,
                        format!(
                            "route table `{}` routes `{net}`, the CIDR of `{vpc_address}`, which its local route already covers",
                            table.common.shown()
                        ),
                    )
                    .with_label(destination.span, "the VPC's own CIDR")
                    .with_help("remove this route: only a gateway load balancer endpoint or a network interface can take the local route's place, and vpce cannot emit that")
                } else if !to_middlebox {
                    Diagnostic::new(
                        Code::RouteOverlapsLocal,
                        format!(
                            "route table `{}` routes `{net}`, inside the local route of `{vpc_address}` ({vpc_net})",
                            table.common.shown()
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
                            "route table `{}` routes `{net}` through a middlebox, but that is not the CIDR of a subnet of `{vpc_address}`",
                            table.common.shown()
                        ),
                    )
                    .with_label(destination.span, "not a whole subnet")
                    .with_help(format!(
                        "route exactly the CIDR of one subnet of `{vpc_address}`: more specific routes inside the VPC must cover a whole subnet"
                    ))
                };
                cx.report(diagnostic.with_label(vpc_cidr.span, "the local route's CIDR"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{codes_and_lines, first_of};

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

    /// AWS's "VPC routing enhancements" inspection pattern: a subnet route table sends
    /// the VPC's CIDR to a GWLB endpoint. Valid in AWS, not expressible in
    /// CloudFormation: the message says so and the help names the per-subnet routes.
    #[test]
    fn replacing_the_local_route_says_what_cloudformation_cannot_do() {
        let hcl = format!(
            "{}
subnet \"db\" {{\n  vpc  = vpc.main\n  az   = \"euw1-az1\"\n  cidr = \"10.0.2.0/24\"\n}}\n",
            config(&route("10.0.0.0/16", "endpoint.gwlbe"))
        );
        let d = first_of("V209", &hcl);
        assert_eq!(
            d.message,
            "route table `ingress` replaces the local route of `vpc.main` (10.0.0.0/16) with `endpoint.gwlbe`, which CloudFormation cannot express"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("route the whole CIDR of each other subnet (`10.0.1.0/24`, `10.0.2.0/24`) to `endpoint.gwlbe` instead, which CloudFormation can create; a subnet added later, or an address of the VPC outside every subnet, then stays on the local route")
        );
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
