use vpce_diagnostics::{Code, Diagnostic};

use vpce_model::{Endpoint, EndpointType, Model};

use super::interface_endpoints;
use crate::{service::Service, Rule, RuleCx};

/// V409: `route_tables` on an interface endpoint.
///
/// Route tables take gateway endpoints' prefix-list routes; an interface endpoint is a
/// set of network interfaces, reached through the VPC's local route. CloudFormation's
/// `RouteTableIds`: "Routing is supported only for gateway endpoints." (AWS-FACTS §1.1,
/// §3.1 T3). AWS's own error text is not recorded; Ansible's client-side check says
/// "Route table IDs are only supported for Gateway type VPC Endpoint."
///
/// Reported whenever `route_tables` is written, even as an empty list.
pub struct InterfaceInvalidAttribute;

impl Rule for InterfaceInvalidAttribute {
    fn code(&self) -> Code {
        Code::InterfaceInvalidAttribute
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        for (_, endpoint) in interface_endpoints(cx.model) {
            let common = &endpoint.common;
            let Some(span) = common.attr_span("route_tables") else {
                continue;
            };
            let gateway_service = match endpoint.resolved_service.as_ref() {
                Some(Service::Aws {
                    name,
                    catalogue: Some(entry),
                    ..
                }) if entry.gateway && !has_gateway(cx.model, endpoint, name) => Some(name),
                _ => None,
            };
            let help = match gateway_service {
                Some(name) => {
                    format!(
                        "remove `route_tables`, or make `{}` a gateway endpoint (`type = \"gateway\"`), which routes `{name}` through these tables",
                        common.address,
                    )
                }
                _ => "remove `route_tables`: clients reach an interface endpoint at its network interfaces' addresses, through the VPC's local route".to_string(),
            };
            cx.report(
                Diagnostic::new(
                    Code::InterfaceInvalidAttribute,
                    format!("interface endpoint `{}` has `route_tables`", common.shown()),
                )
                .with_label(span, "route tables are for gateway endpoints only")
                .with_help(help),
            );
        }
    }
}

/// Whether the endpoint's VPC already has a gateway endpoint for the AWS service `name`.
fn has_gateway(model: &Model, endpoint: &Endpoint, name: &str) -> bool {
    model.endpoints.iter().any(|(_, other)| {
        other.vpc.is_some()
            && other.vpc == endpoint.vpc
            && other.endpoint_type.as_ref().map(|t| t.value) == Some(EndpointType::Gateway)
            && other
                .resolved_service
                .as_ref()
                .is_some_and(|s| s.is_aws(name))
    })
}

#[cfg(test)]
mod tests {
    use super::super::{first_of, lines_of, BASE};

    #[test]
    fn route_tables_on_interface_endpoints() {
        let hcl = format!(
            r#"{BASE}endpoint "ssm" {{
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.b]
  security_groups = [security_group.endpoints]
  route_tables    = [route_table.private]
}}

endpoint "s3" {{
  type            = "interface"
  service         = "s3"
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.b]
  security_groups = [security_group.endpoints]
  route_tables    = []
}}

endpoint "s3_gateway" {{
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
}}
"#
        );
        assert_eq!(lines_of("V409", &hcl), [39, 48]);
        let d = first_of("V409", &hcl);
        assert_eq!(d.message, "interface endpoint `ssm` has `route_tables`");
    }

    #[test]
    fn suggests_a_gateway_endpoint_when_the_vpc_has_none() {
        let hcl = format!(
            r#"{BASE}endpoint "dynamodb" {{
  type            = "interface"
  service         = "dynamodb"
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.b]
  security_groups = [security_group.endpoints]
  route_tables    = [route_table.private]
}}
"#
        );
        let help = first_of("V409", &hcl).help.unwrap();
        assert!(help.contains("`type = \"gateway\"`"), "{help}");
    }
}
