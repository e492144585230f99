use vpce_diagnostics::{suggest, Code, Diagnostic};
use vpce_model::{Endpoint, LoadBalancerType, Model};

use super::{backticked_list, gateway_endpoints, gateway_service_names, has_gateway_endpoints};
use crate::{rules::gwlb::service_backing, service::Service, Rule, RuleCx};

/// V300: a gateway endpoint for a service that has no gateway endpoints.
///
/// AWS offers gateway endpoints for Amazon S3, DynamoDB and S3 Express One Zone only
/// (`com.amazonaws.REGION.s3`, `.dynamodb`, `.s3express`: the catalogue's `gateway`
/// column); every other AWS service, and every endpoint service, is reached through
/// interface (or gateway load balancer) endpoints. CloudFormation's `VpcEndpointType`
/// defaults to `Gateway`, so a forgotten type is the usual cause (AWS-FACTS §3.1 T1,
/// T7). The service is read from the `service` attribute as written: an AWS name the
/// catalogue does not know gets a did-you-mean over the gateway services.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html>.
pub struct GatewayUnsupportedService;

impl Rule for GatewayUnsupportedService {
    fn code(&self) -> Code {
        Code::GatewayUnsupportedService
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint) in gateway_endpoints(model) {
            let (Some(service), Some(written)) =
                (endpoint.resolved_service.as_ref(), &endpoint.service)
            else {
                continue;
            };
            if has_gateway_endpoints(service) {
                continue;
            }
            cx.report(unsupported_service(model, endpoint, service, written.span));
        }
    }
}

fn unsupported_service(
    model: &Model,
    endpoint: &Endpoint,
    service: &Service,
    service_span: vpce_diagnostics::Span,
) -> Diagnostic {
    let gateway_names = gateway_service_names();
    let only = format!(
        "gateway endpoints exist only for {}",
        backticked_list(&gateway_names)
    );
    let name = &endpoint.common.shown();
    let (what, label, help) = match service {
        Service::Aws {
            name: short,
            catalogue: Some(entry),
            ..
        } => {
            let label = if entry.interface {
                format!("`{short}` has interface endpoints only")
            } else {
                format!("`{short}` has no gateway endpoints")
            };
            let help = if entry.interface {
                format!(
                    "use `type = \"interface\"` with one subnet per AZ in `subnets`: {only}"
                )
            } else {
                format!("{only}; reach `{short}` another way")
            };
            (
                format!("`{short}`, which has no gateway endpoints"),
                label,
                help,
            )
        }
        Service::Aws { name: short, .. } => {
            let help = match suggest(short, gateway_names.iter().copied()) {
                Some(close) => format!("did you mean `\"{close}\"`? {only}"),
                None => format!("{only}; for another service use `type = \"interface\"`"),
            };
            (
                format!("`{short}`, which has no gateway endpoints"),
                "not a service with gateway endpoints".to_string(),
                help,
            )
        }
        Service::Local(id) => {
            let address = model.address(id.obj_ref());
            let help = match service_backing(model, *id) {
                Some(LoadBalancerType::Gateway) => format!("use `type = \"gateway_load_balancer\"` with one subnet: `{address}` is backed by gateway load balancers"),
                Some(LoadBalancerType::Network) => format!("use `type = \"interface\"` with one subnet per AZ in `subnets`: `{address}` is backed by network load balancers"),
                None => "use `type = \"interface\"` for a network load balancer service, or `\"gateway_load_balancer\"` for a gateway load balancer service".to_string(),
            };
            (
                format!("`{address}`, an endpoint service: gateway endpoints reach only S3, DynamoDB and S3 Express"),
                "an endpoint service".to_string(),
                help,
            )
        }
        Service::Foreign { name: full, .. } => (
            format!("`{full}`, an endpoint service: gateway endpoints reach only S3, DynamoDB and S3 Express"),
            "an endpoint service".to_string(),
            "use `type = \"interface\"`, or `\"gateway_load_balancer\"` if the service is backed by gateway load balancers".to_string(),
        ),
    };
    let mut diagnostic = Diagnostic::new(
        Code::GatewayUnsupportedService,
        format!("gateway endpoint `{name}` is for {what}"),
    )
    .with_label(service_span, label);
    if let Some(span) = endpoint.common.value_span("type") {
        diagnostic = diagnostic.with_label(span, "a gateway endpoint");
    }
    diagnostic.with_help(help)
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    const HEAD: &str = r#"region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

route_table "private" { vpc = vpc.main }
"#;

    fn gateway(service: &str) -> String {
        format!(
            r#"{HEAD}
endpoint "e" {{
  type         = "gateway"
  service      = {service}
  vpc          = vpc.main
  route_tables = [route_table.private]
}}
"#
        )
    }

    fn v300(hcl: &str) -> Vec<(&'static str, usize)> {
        codes_and_lines(hcl)
            .into_iter()
            .filter(|(c, _)| *c == "V300")
            .collect()
    }

    #[test]
    fn interface_only_aws_service() {
        assert_eq!(v300(&gateway("\"ssm\"")), [("V300", 9)]);
        assert_eq!(
            v300(&gateway("\"com.amazonaws.eu-west-1.secretsmanager\"")),
            [("V300", 9)]
        );
    }

    #[test]
    fn unknown_name_and_endpoint_services() {
        assert_eq!(v300(&gateway("\"s4\"")), [("V300", 9)]);
        assert_eq!(
            v300(&gateway(
                "\"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0\""
            )),
            [("V300", 9)]
        );
        let local = format!(
            "{}\nload_balancer \"nlb\" {{\n  type = \"network\"\n  arn  = \"arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/api/0123456789abcdef\"\n  azs  = [\"euw1-az1\"]\n}}\n\nendpoint_service \"api\" {{ load_balancers = [load_balancer.nlb] }}\n",
            gateway("endpoint_service.api")
        );
        assert_eq!(v300(&local), [("V300", 9)]);
    }

    #[test]
    fn gateway_services_pass() {
        for service in [
            "\"s3\"",
            "\"dynamodb\"",
            "\"s3express\"",
            "\"com.amazonaws.eu-west-1.s3\"",
        ] {
            assert_eq!(v300(&gateway(service)), [], "{service}");
        }
    }

    #[test]
    fn other_endpoint_types_are_not_checked() {
        let hcl = format!(
            r#"{HEAD}
subnet "a" {{
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}}

endpoint "e" {{
  type    = "interface"
  service = "ssm"
  vpc     = vpc.main
  subnets = [subnet.a]
}}
"#
        );
        assert_eq!(v300(&hcl), []);
    }
}
