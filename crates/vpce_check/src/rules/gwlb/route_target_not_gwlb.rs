use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{EndpointType, Id, Kind};

use crate::{Rule, RuleCx};

/// V504: a route whose target is a gateway or interface endpoint.
///
/// Of the endpoint types, only gateway load balancer endpoints are route targets:
/// `AWS::EC2::Route.VpcEndpointId` is "Supported for Gateway Load Balancer endpoints
/// only." (AWS-FACTS §1.5, §3.4 C11; AWS's own error text is UNCONFIRMED). A gateway
/// endpoint's route is added by AWS to the tables in its `route_tables` (its
/// destination is the service's prefix list, which a route here cannot name: C10); an
/// interface endpoint is reached through its DNS names and addresses, not by routing.
///
/// AWS: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-route.html>.
pub struct RouteTargetNotGwlb;

impl Rule for RouteTargetNotGwlb {
    fn code(&self) -> Code {
        Code::RouteTargetNotGwlb
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (table_id, table) in model.route_tables.iter() {
            for route in &table.routes {
                let Some(target) = &route.target else {
                    continue;
                };
                if target.value.kind != Kind::Endpoint {
                    continue;
                }
                let endpoint = &model.endpoints[Id::new(target.value.index as usize)];
                let Some(kind) = endpoint.endpoint_type.as_ref().map(|t| t.value) else {
                    continue;
                };
                let address = model.address(target.value);
                let table_address = model.address(table_id.obj_ref());
                let (noun, help) = match kind {
                    EndpointType::GatewayLoadBalancer => continue,
                    EndpointType::Gateway => (
                        "a gateway endpoint",
                        format!(
                            "remove this route and add `{table_address}` to `{address}`'s `route_tables`: AWS then adds the route to the service's prefix list itself"
                        ),
                    ),
                    EndpointType::Interface => (
                        "an interface endpoint",
                        format!(
                            "remove this route: clients reach `{address}` through its DNS names, with no route; to send traffic through appliances, target a gateway load balancer endpoint"
                        ),
                    ),
                };
                let mut diagnostic = Diagnostic::new(
                    Code::RouteTargetNotGwlb,
                    format!(
                        "route table `{}` routes to `{address}`, {noun}: only gateway load balancer endpoints are route targets",
                        table.common.shown()
                    ),
                )
                .with_label(target.span, noun.to_string());
                if let Some(span) = endpoint.common.value_span("type") {
                    diagnostic = diagnostic.with_label(span, format!("`{address}` is {noun}"));
                }
                cx.report(diagnostic.with_help(help));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    fn config(target: &str) -> String {
        format!(
            r#"region = "eu-west-1"

vpc "main" {{ cidr = "10.0.0.0/16" }}

route_table "private" {{
  vpc = vpc.main
  route {{
    destination = "192.168.0.0/16"
    target      = {target}
  }}
}}

subnet "a" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}}

load_balancer "fw" {{
  type = "gateway"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/fw/0123456789abcdef"
  azs  = ["euw1-az1"]
}}

endpoint_service "fw" {{ load_balancers = [load_balancer.fw] }}

endpoint "s3" {{
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
}}

endpoint "ssm" {{
  type    = "interface"
  service = "ssm"
  vpc     = vpc.main
  subnets = [subnet.a]
}}

endpoint "fw" {{
  type    = "gateway_load_balancer"
  service = endpoint_service.fw
  vpc     = vpc.main
  subnets = [subnet.a]
}}
"#
        )
    }

    fn v504(hcl: &str) -> Vec<(&'static str, usize)> {
        codes_and_lines(hcl)
            .into_iter()
            .filter(|(c, _)| *c == "V504")
            .collect()
    }

    #[test]
    fn gateway_and_interface_targets() {
        assert_eq!(v504(&config("endpoint.s3")), [("V504", 9)]);
        assert_eq!(v504(&config("endpoint.ssm")), [("V504", 9)]);
    }

    #[test]
    fn gwlb_target_passes() {
        assert_eq!(v504(&config("endpoint.fw")), []);
    }
}
