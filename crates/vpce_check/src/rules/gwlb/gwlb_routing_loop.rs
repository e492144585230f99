use std::collections::BTreeMap;

use vpce_diagnostics::{Code, Diagnostic, Span};
use vpce_model::{Endpoint, Id, Model, RouteTable, Subnet};

use super::{gwlb_target, only_subnet};
use crate::{Rule, RuleCx};

/// V503: gateway load balancer endpoints that hand traffic round in a circle.
///
/// Traffic sent to a GWLB endpoint comes back out of it into the endpoint's subnet,
/// whose route table decides the next hop. When that table sends the traffic to a
/// second GWLB endpoint, whose subnet's table sends it back to the first endpoint's
/// subnet (`A → endpoint in B → endpoint in A`), the traffic never leaves: it circles
/// through the appliances until it is dropped. AWS accepts every route involved; the
/// loop shows only at run time (no AWS error text).
///
/// The graph: an edge from subnet S to subnet S' for each route of S's explicit
/// `route_table` (any destination) whose target is a GWLB endpoint in S' (one edge per
/// pair, the first route in source order). A depth-first search from each subnet in
/// source order reports each cycle it closes once, at the route that closes it, with
/// the chain labelled. A subnet routing to an endpoint inside itself is V502's finding;
/// endpoints without exactly one subnet (V500) and routes to another VPC (V206) are
/// skipped.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-load-balancer-endpoints.html>.
pub struct GwlbRoutingLoop;

/// A hop: from a subnet, through the route (its target's span) to `endpoint`, into `to`.
#[derive(Copy, Clone)]
struct Hop {
    target: Span,
    endpoint: Id<Endpoint>,
    to: Id<Subnet>,
}

/// The hops out of each route table, one per destination subnet, in source order.
fn hops_by_table(model: &Model) -> BTreeMap<Id<RouteTable>, Vec<Hop>> {
    let mut hops: BTreeMap<Id<RouteTable>, Vec<Hop>> = BTreeMap::new();
    for (table, rt) in model.route_tables.iter() {
        let mut out: Vec<Hop> = Vec::new();
        for route in &rt.routes {
            let Some(target) = &route.target else {
                continue;
            };
            let Some(endpoint) = gwlb_target(model, target.value) else {
                continue;
            };
            let ep = &model.endpoints[endpoint];
            let Some(to) = only_subnet(ep) else { continue };
            if ep.vpc.is_none() || ep.vpc != rt.vpc || model.subnets[to].vpc != rt.vpc {
                continue;
            }
            if out.iter().all(|h| h.to != to) {
                out.push(Hop {
                    target: target.span,
                    endpoint,
                    to,
                });
            }
        }
        if !out.is_empty() {
            hops.insert(table, out);
        }
    }
    hops
}

#[derive(Copy, Clone, PartialEq)]
enum Mark {
    New,
    OnPath,
    Done,
}

impl Rule for GwlbRoutingLoop {
    fn code(&self) -> Code {
        Code::GwlbRoutingLoop
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let hops = hops_by_table(model);
        let hops_of = |subnet: Id<Subnet>| -> &[Hop] {
            model.subnets[subnet]
                .route_table
                .as_ref()
                .and_then(|t| hops.get(&t.value))
                .map_or(&[], Vec::as_slice)
        };
        let mut marks = vec![Mark::New; model.subnets.len()];
        for (root, _) in model.subnets.iter() {
            if marks[root.index()] != Mark::New {
                continue;
            }
            // The path from the root: each subnet with the index of its next hop to try,
            // and the hop taken out of it (once taken).
            let mut path: Vec<(Id<Subnet>, usize)> = vec![(root, 0)];
            let mut taken: Vec<Hop> = Vec::new();
            marks[root.index()] = Mark::OnPath;
            while let Some(frame) = path.last_mut() {
                let subnet = frame.0;
                let Some(&hop) = hops_of(subnet).get(frame.1) else {
                    marks[subnet.index()] = Mark::Done;
                    path.pop();
                    taken.pop();
                    continue;
                };
                frame.1 += 1;
                if hop.to == subnet {
                    continue; // V502
                }
                match marks[hop.to.index()] {
                    Mark::New => {
                        marks[hop.to.index()] = Mark::OnPath;
                        path.push((hop.to, 0));
                        taken.push(hop);
                    }
                    Mark::OnPath => {
                        let start = path
                            .iter()
                            .position(|(s, _)| *s == hop.to)
                            .expect("a subnet on the path");
                        let mut cycle: Vec<(Id<Subnet>, Hop)> = path[start..]
                            .iter()
                            .map(|(s, _)| *s)
                            .zip(taken[start..].iter().copied())
                            .collect();
                        cycle.push((subnet, hop));
                        cx.report(routing_loop(model, &cycle));
                    }
                    Mark::Done => {}
                }
            }
        }
    }
}

/// The loop, as the hops out of each subnet in order; the last hop closes it.
fn routing_loop(model: &Model, cycle: &[(Id<Subnet>, Hop)]) -> Diagnostic {
    let address = |s: Id<Subnet>| model.address(s.obj_ref());
    let endpoint = |e: Id<Endpoint>| model.address(e.obj_ref());
    let mut chain = vec![format!("`{}`", address(cycle[0].0))];
    for (_, hop) in cycle {
        chain.push(format!("`{}`", endpoint(hop.endpoint)));
        chain.push(format!("`{}`", address(hop.to)));
    }
    let (closing_subnet, closing) = cycle[cycle.len() - 1];
    let mut diagnostic = Diagnostic::new(
        Code::GwlbRoutingLoop,
        format!(
            "traffic loops through gateway load balancer endpoints: {}",
            chain.join(" → ")
        ),
    )
    .with_label(
        closing.target,
        format!(
            "`{}` sends traffic back to `{}` in `{}`, where the loop started",
            address(closing_subnet),
            endpoint(closing.endpoint),
            address(closing.to)
        ),
    );
    for (subnet, hop) in &cycle[..cycle.len() - 1] {
        diagnostic = diagnostic.with_label(
            hop.target,
            format!(
                "`{}` sends traffic to `{}` in `{}`",
                address(*subnet),
                endpoint(hop.endpoint),
                address(hop.to)
            ),
        );
    }
    diagnostic.with_help(
        "route each endpoint subnet's traffic onward (to a gateway, or by the local route), never to another gateway load balancer endpoint that leads back",
    )
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    /// Subnets `a`, `b` and `c`, each with its own table and a GWLB endpoint `e_X`; the
    /// tables' default routes target `targets` in order.
    fn config(targets: [&str; 3]) -> String {
        let mut hcl = String::from(
            r#"region = "eu-west-1"
vpc "main" { cidr = "10.0.0.0/16" }
internet_gateway "main" { vpc = vpc.main }

load_balancer "fw" {
  type = "gateway"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/fw/0123456789abcdef"
  azs  = ["euw1-az1"]
}
endpoint_service "fw" {
  load_balancers      = [load_balancer.fw]
  acceptance_required = false
}
"#,
        );
        for (i, (name, target)) in ["a", "b", "c"].iter().zip(targets).enumerate() {
            hcl.push_str(&format!(
                r#"
route_table "{name}" {{
  vpc = vpc.main
  route {{
    destination = "0.0.0.0/0"
    target      = {target}
  }}
}}

subnet "{name}" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.{i}.0/24"
  route_table = route_table.{name}
}}

endpoint "e_{name}" {{
  type    = "gateway_load_balancer"
  service = endpoint_service.fw
  vpc     = vpc.main
  subnets = [subnet.{name}]
}}
"#
            ));
        }
        hcl
    }

    // Each block of config() is 22 lines; the route target of table N (0-based) is on
    // line 19 + 22 * N.
    #[test]
    fn two_subnets_routing_to_each_other() {
        let hcl = config(["endpoint.e_b", "endpoint.e_a", "internet_gateway.main"]);
        assert_eq!(codes_and_lines(&hcl), [("V503", 41)]);
    }

    #[test]
    fn three_subnet_loop_is_reported_once() {
        let hcl = config(["endpoint.e_b", "endpoint.e_c", "endpoint.e_a"]);
        assert_eq!(codes_and_lines(&hcl), [("V503", 63)]);
    }

    #[test]
    fn chain_that_ends_at_a_gateway_passes() {
        let hcl = config(["endpoint.e_b", "endpoint.e_c", "internet_gateway.main"]);
        assert_eq!(codes_and_lines(&hcl), []);
    }

    #[test]
    fn self_loop_is_v502s() {
        let hcl = config([
            "endpoint.e_a",
            "internet_gateway.main",
            "internet_gateway.main",
        ]);
        assert_eq!(codes_and_lines(&hcl), [("V502", 19)]);
    }
}
