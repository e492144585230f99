use vpce_diagnostics::{Code, Diagnostic, Span};

use super::{gateway_endpoints, names_own_region, unsupported};
use crate::{Rule, RuleCx};

/// V301: an attribute that gateway endpoints do not take, written on one.
///
/// A gateway endpoint has no network interface: it is a prefix-list route in the
/// tables of `route_tables`. So it has no `subnets` ("Subnet IDs are only supported for
/// Interface and GatewayLoadBalancer type VPC Endpoints", AWS-FACTS §3.1 T2), no
/// `security_groups` (T4), no `private_dns` (T5), and no `service_region` or
/// `private_dns_only_for_inbound_resolver` (interface endpoints only, §3.6 S6 and
/// §3.3 C8). Each attribute is reported once, on the attribute. `ip_address_type` and
/// `dns_record_ip_type` are valid: AWS added dual-stack gateway endpoints (the gateway
/// endpoints guide, "IP address type" and "DNS record IP type").
///
/// Not reported: endpoints whose service has no gateway endpoints (V300: the type is
/// what is wrong), and a `service_region` other than the VPC's region (V302 explains
/// why another region cannot work; V114 reports a region that does not exist).
///
/// AWS: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html>.
pub struct GatewayInvalidAttribute;

/// Each attribute, what the label says about it, and how to fix it.
const ATTRIBUTES: &[(&str, &str, &str)] = &[
    (
        "subnets",
        "only interface and gateway load balancer endpoints have subnets",
        "remove `subnets` and list the route tables of those subnets in `route_tables`",
    ),
    (
        "security_groups",
        "only interface endpoints have security groups",
        "remove `security_groups`: a gateway endpoint has no network interface to protect; limit what it allows with `policy`",
    ),
    (
        "private_dns",
        "only interface endpoints have private DNS",
        "remove `private_dns`: with a gateway endpoint the service's usual names stay in use and its route carries the traffic",
    ),
    (
        "private_dns_only_for_inbound_resolver",
        "only interface endpoints for S3 take this",
        "move it to an interface endpoint for S3 in the same VPC, which then leaves traffic from inside the VPC to this gateway endpoint",
    ),
    (
        "service_region",
        "only interface endpoints reach a service in another region",
        "remove `service_region`: a gateway endpoint serves its own region only",
    ),
];

fn invalid_attribute(
    endpoint: &str,
    attr: &str,
    span: Span,
    label: &str,
    help: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::GatewayInvalidAttribute,
        format!("gateway endpoint `{endpoint}` cannot have `{attr}`"),
    )
    .with_label(span, label)
    .with_help(help)
}

impl Rule for GatewayInvalidAttribute {
    fn code(&self) -> Code {
        Code::GatewayInvalidAttribute
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint) in gateway_endpoints(model) {
            if unsupported(endpoint) {
                continue;
            }
            let common = &endpoint.common;
            for (attr, label, help) in ATTRIBUTES {
                let Some(span) = common.attr_span(attr) else {
                    continue;
                };
                if *attr == "service_region" && !names_own_region(model, endpoint) {
                    continue;
                }
                cx.report(invalid_attribute(common.shown(), attr, span, label, help));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    const HEAD: &str = r#"region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

route_table "private" { vpc = vpc.main }

subnet "a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}

security_group "endpoints" { vpc = vpc.main }
"#;

    fn v301(hcl: &str) -> Vec<(&'static str, usize)> {
        codes_and_lines(hcl)
            .into_iter()
            .filter(|(c, _)| *c == "V301")
            .collect()
    }

    #[test]
    fn one_finding_per_attribute() {
        let hcl = format!(
            r#"{HEAD}
endpoint "s3" {{
  type                                  = "gateway"
  service                               = "s3"
  vpc                                   = vpc.main
  route_tables                          = [route_table.private]
  subnets                               = [subnet.a]
  security_groups                       = [security_group.endpoints]
  private_dns                           = true
  private_dns_only_for_inbound_resolver = true
  ip_address_type                       = "dualstack"
  dns_record_ip_type                    = "dualstack"
  service_region                        = "eu-west-1"
}}
"#
        );
        // `ip_address_type` and `dns_record_ip_type` (lines 25, 26) are valid since AWS
        // added dual-stack gateway endpoints.
        assert_eq!(
            v301(&hcl),
            [
                ("V301", 21),
                ("V301", 22),
                ("V301", 23),
                ("V301", 24),
                ("V301", 27)
            ]
        );
    }

    #[test]
    fn service_region_elsewhere_is_v302s() {
        let hcl = format!(
            r#"{HEAD}
endpoint "s3" {{
  type           = "gateway"
  service        = "s3"
  vpc            = vpc.main
  route_tables   = [route_table.private]
  service_region = "us-east-1"
}}
"#
        );
        assert_eq!(v301(&hcl), []);
    }

    #[test]
    fn wrong_type_is_v300s() {
        let hcl = format!(
            r#"{HEAD}
endpoint "ssm" {{
  type            = "gateway"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.a]
  security_groups = [security_group.endpoints]
}}
"#
        );
        assert_eq!(v301(&hcl), []);
    }

    #[test]
    fn plain_gateway_endpoint_passes() {
        let hcl = format!(
            r#"{HEAD}
endpoint "s3" {{
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
  policy = {{
    Statement = [{{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject"]
      Resource  = ["arn:aws:s3:::artifacts/*"]
    }}]
  }}
}}
"#
        );
        assert_eq!(v301(&hcl), []);
    }
}
