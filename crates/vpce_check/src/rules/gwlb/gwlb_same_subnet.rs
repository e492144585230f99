use std::collections::BTreeMap;

use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{Endpoint, Id, Route, RouteTable};

use super::{gwlb_endpoints, gwlb_target, only_subnet};
use crate::{Rule, RuleCx};

/// V502: the route table of a GWLB endpoint's own subnet sends traffic to that endpoint.
///
/// Traffic that comes back from the appliances leaves the endpoint and is routed by the
/// route table of the endpoint's subnet. If that table sends it to the same endpoint,
/// it goes straight back to the appliances: the endpoint must sit in a subnet of its
/// own, whose table sends inspected traffic onward (to an internet gateway, a NAT
/// gateway or the local route), while the protected subnets route to the endpoint.
/// AWS accepts such a route; the loop shows only at run time (no AWS error text).
/// Only a subnet's explicit `route_table` is followed (the main table is not modelled).
/// An endpoint with several subnets is V500's finding and is skipped.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-load-balancer-endpoints.html>
/// and the routing in
/// <https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/getting-started.html>.
pub struct GwlbSameSubnet;

impl Rule for GwlbSameSubnet {
    fn code(&self) -> Code {
        Code::GwlbSameSubnet
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        // (table, GWLB endpoint) -> the table's routes to it, in source order.
        let mut routes_to: BTreeMap<(Id<RouteTable>, Id<Endpoint>), Vec<&Route>> = BTreeMap::new();
        for (table, rt) in model.route_tables.iter() {
            for route in &rt.routes {
                let Some(target) = &route.target else {
                    continue;
                };
                if let Some(endpoint) = gwlb_target(model, target.value) {
                    routes_to.entry((table, endpoint)).or_default().push(route);
                }
            }
        }
        for (id, endpoint) in gwlb_endpoints(model) {
            let Some(subnet_id) = only_subnet(endpoint) else {
                continue;
            };
            let subnet = &model.subnets[subnet_id];
            let Some(table) = &subnet.route_table else {
                continue;
            };
            let Some(routes) = routes_to.get(&(table.value, id)) else {
                continue;
            };
            let endpoint_address = model.address(id.obj_ref());
            let subnet_address = model.address(subnet_id.obj_ref());
            let table_address = model.address(table.value.obj_ref());
            let mut diagnostic = Diagnostic::new(
                Code::GwlbSameSubnet,
                format!(
                    "gateway load balancer endpoint `{}` is in subnet `{}`, whose route table `{}` sends traffic back to it",
                    endpoint.common.shown(),
                    subnet.common.shown(),
                    model.route_tables[table.value].common.shown()
                ),
            );
            for route in routes {
                if let Some(target) = &route.target {
                    diagnostic =
                        diagnostic.with_label(target.span, format!("back to `{endpoint_address}`"));
                }
            }
            if let Some(item) = endpoint.subnets.first() {
                diagnostic = diagnostic.with_label(
                    item.span,
                    format!("`{endpoint_address}` is in `{subnet_address}`"),
                );
            }
            cx.report(
                diagnostic
                    .with_label(
                        table.span,
                        format!("`{subnet_address}` uses `{table_address}`"),
                    )
                    .with_help(format!(
                        "give `{endpoint_address}` a subnet of its own whose route table sends inspected traffic onward (e.g. to the internet gateway), and route only the protected subnets to it"
                    )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    fn config(inspection_target: &str) -> String {
        format!(
            r#"region = "eu-west-1"
vpc "main" {{ cidr = "10.0.0.0/16" }}

internet_gateway "main" {{ vpc = vpc.main }}

load_balancer "fw" {{
  type = "gateway"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/fw/0123456789abcdef"
  azs  = ["euw1-az1"]
}}
endpoint_service "fw" {{
  load_balancers      = [load_balancer.fw]
  acceptance_required = false
}}
route_table "inspection" {{
  vpc = vpc.main
  route {{
    destination = "0.0.0.0/0"
    target      = {inspection_target}
  }}
}}

route_table "app" {{
  vpc = vpc.main
  route {{
    destination = "0.0.0.0/0"
    target      = endpoint.fw_a
  }}
}}

subnet "inspection_a" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.0.0/28"
  route_table = route_table.inspection
}}

subnet "app_a" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.app
}}

endpoint "fw_a" {{
  type    = "gateway_load_balancer"
  service = endpoint_service.fw
  vpc     = vpc.main
  subnets = [subnet.inspection_a]
}}
"#
        )
    }

    #[test]
    fn own_subnet_routes_to_the_endpoint() {
        assert_eq!(codes_and_lines(&config("endpoint.fw_a")), [("V502", 19)]);
    }

    #[test]
    fn own_subnet_routes_onward() {
        assert_eq!(codes_and_lines(&config("internet_gateway.main")), []);
    }
}
