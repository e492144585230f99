use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{Endpoint, EndpointType, LoadBalancerType, Model};

use super::{is_type, service_backing};
use crate::{service::Service, Rule, RuleCx};

/// V501: an endpoint whose type does not match the load balancers behind its service.
///
/// A gateway load balancer endpoint connects only to an endpoint service backed by
/// gateway load balancers, and an interface endpoint only to AWS services and to
/// endpoint services backed by network load balancers (AWS-FACTS §3.6 S1: a service has
/// network or gateway load balancers, never both). Reported:
/// - a `gateway_load_balancer` endpoint for an AWS service (`"ssm"`), or for an
///   `endpoint_service` of this configuration whose load balancers are `network`;
/// - an `interface` endpoint for an `endpoint_service` whose load balancers are
///   `gateway`.
///
/// Foreign endpoint services (`com.amazonaws.vpce.REGION.vpce-svc-...`) are skipped:
/// their load balancers are unknown here. So are services with no load balancers or a
/// mix of both kinds (V600), and load balancers without a valid `type` (already
/// reported). A gateway endpoint for an endpoint service is V300's.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-load-balancer-endpoints.html>.
pub struct GwlbServiceType;

fn check_endpoint(model: &Model, endpoint: &Endpoint) -> Option<Diagnostic> {
    let service_span = endpoint.service.as_ref()?.span;
    let name = &endpoint.common.shown();
    let service = endpoint.resolved_service.as_ref()?;
    let (message, label, help, type_label) = if is_type(endpoint, EndpointType::GatewayLoadBalancer)
    {
        match &service {
            Service::Aws {
                name: short,
                catalogue,
                ..
            } => {
                let help = match catalogue {
                    Some(c) if c.gateway && c.interface => format!(
                        "use `type = \"gateway\"` (or `\"interface\"`) for `{short}`: gateway load balancer endpoints connect only to endpoint services backed by gateway load balancers"
                    ),
                    Some(c) if c.gateway => format!(
                        "use `type = \"gateway\"` for `{short}`: gateway load balancer endpoints connect only to endpoint services backed by gateway load balancers"
                    ),
                    _ => format!(
                        "use `type = \"interface\"` for `{short}`: gateway load balancer endpoints connect only to endpoint services backed by gateway load balancers"
                    ),
                };
                (
                    format!("gateway load balancer endpoint `{name}` is for the AWS service `{short}`, not a gateway load balancer service"),
                    "an AWS service".to_string(),
                    help,
                    "a gateway load balancer endpoint",
                )
            }
            Service::Local(id)
                if service_backing(model, *id) == Some(LoadBalancerType::Network) =>
            {
                let address = model.address(id.obj_ref());
                (
                    format!("gateway load balancer endpoint `{name}` is for `{address}`, which is backed by network load balancers"),
                    "backed by network load balancers".to_string(),
                    format!("use `type = \"interface\"` for `{address}`, or back it with gateway load balancers"),
                    "a gateway load balancer endpoint",
                )
            }
            _ => return None,
        }
    } else if is_type(endpoint, EndpointType::Interface) {
        let Service::Local(id) = service else {
            return None;
        };
        if service_backing(model, *id) != Some(LoadBalancerType::Gateway) {
            return None;
        }
        let address = model.address(id.obj_ref());
        (
            format!("interface endpoint `{name}` is for `{address}`, which is backed by gateway load balancers"),
            "backed by gateway load balancers".to_string(),
            format!("use `type = \"gateway_load_balancer\"` with one subnet per endpoint, and route traffic to it: `{address}` has no interface to connect to"),
            "an interface endpoint",
        )
    } else {
        return None;
    };
    let mut diagnostic =
        Diagnostic::new(Code::GwlbServiceType, message).with_label(service_span, label);
    if let Some(span) = endpoint.common.value_span("type") {
        diagnostic = diagnostic.with_label(span, type_label);
    }
    Some(diagnostic.with_help(help))
}

impl Rule for GwlbServiceType {
    fn code(&self) -> Code {
        Code::GwlbServiceType
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint) in model.endpoints.iter() {
            if let Some(diagnostic) = check_endpoint(model, endpoint) {
                cx.report(diagnostic);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    const HEAD: &str = r#"region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

subnet "a" {
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}

load_balancer "gwlb" {
  type = "gateway"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/fw/0123456789abcdef"
  azs  = ["euw1-az1"]
}

load_balancer "nlb" {
  type = "network"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/api/0123456789abcdef"
  azs  = ["euw1-az1"]
}

endpoint_service "fw" { load_balancers = [load_balancer.gwlb] }

endpoint_service "api" { load_balancers = [load_balancer.nlb] }
"#;

    fn endpoint(kind: &str, service: &str) -> String {
        format!(
            r#"{HEAD}
endpoint "e" {{
  type    = "{kind}"
  service = {service}
  vpc     = vpc.main
  subnets = [subnet.a]
}}
"#
        )
    }

    fn v501(hcl: &str) -> Vec<(&'static str, usize)> {
        codes_and_lines(hcl)
            .into_iter()
            .filter(|(c, _)| *c == "V501")
            .collect()
    }

    #[test]
    fn gwlb_endpoint_for_a_network_service_or_aws_service() {
        assert_eq!(
            v501(&endpoint("gateway_load_balancer", "endpoint_service.api")),
            [("V501", 29)]
        );
        assert_eq!(
            v501(&endpoint("gateway_load_balancer", "\"ssm\"")),
            [("V501", 29)]
        );
    }

    #[test]
    fn interface_endpoint_for_a_gateway_service() {
        assert_eq!(
            v501(&endpoint("interface", "endpoint_service.fw")),
            [("V501", 29)]
        );
    }

    #[test]
    fn matching_types_and_foreign_services_pass() {
        assert_eq!(
            v501(&endpoint("gateway_load_balancer", "endpoint_service.fw")),
            []
        );
        assert_eq!(v501(&endpoint("interface", "endpoint_service.api")), []);
        assert_eq!(v501(&endpoint("interface", "\"ssm\"")), []);
        assert_eq!(
            v501(&endpoint(
                "gateway_load_balancer",
                "\"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0\""
            )),
            []
        );
    }
}
