use vpce_diagnostics::{Code, Diagnostic};

use super::{gwlb_endpoints, not_gwlb_service};
use crate::{rules::gateway::names_own_region, Rule, RuleCx};

/// V505: an attribute that gateway load balancer endpoints do not take, written on one.
///
/// A GWLB endpoint is a route target that hands packets to the load balancer unchanged:
/// it has no security groups ("Security groups are supported only for interface
/// endpoints", CloudFormation `SecurityGroupIds`, AWS-FACTS §3.1 T4), no private DNS
/// (T5), no endpoint policy ("Endpoint policies are supported only for gateway and
/// interface endpoints", T6) and no `route_tables` ("Routing is supported only for
/// gateway endpoints", T3: other subnets route *to* it instead). `service_region` and
/// `private_dns_only_for_inbound_resolver` are interface-endpoint options too (§3.6 S6,
/// §3.3 C8); a `service_region` is reported here only when it names the VPC's own
/// region (another region is V408's finding, an unknown one V114's). Each attribute is
/// reported once, on the attribute. Endpoints whose service is not a gateway load
/// balancer service are V501's (the type is what is wrong).
///
/// AWS: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html>.
pub struct GwlbInvalidAttribute;

/// Each attribute, what the label says about it, and how to fix it.
const ATTRIBUTES: &[(&str, &str, &str)] = &[
    (
        "security_groups",
        "only interface endpoints have security groups",
        "remove `security_groups`: filter traffic on the appliances behind the gateway load balancer",
    ),
    (
        "private_dns",
        "only interface endpoints have private DNS",
        "remove `private_dns`: a gateway load balancer endpoint is a route target, not a DNS name",
    ),
    (
        "private_dns_only_for_inbound_resolver",
        "only interface endpoints for S3 take this",
        "remove `private_dns_only_for_inbound_resolver`: a gateway load balancer endpoint has no DNS names",
    ),
    (
        "dns_record_ip_type",
        "only interface and gateway endpoints have DNS records",
        "remove `dns_record_ip_type`: a gateway load balancer endpoint has no DNS names",
    ),
    (
        "policy",
        "only gateway and interface endpoints have a policy",
        "remove `policy`: control what passes in the appliances' own rules",
    ),
    (
        "route_tables",
        "only gateway endpoints take route tables",
        "remove `route_tables` and add a `route` whose `target` is this endpoint to each table whose traffic it should inspect",
    ),
    (
        "service_region",
        "only interface endpoints reach a service in another region",
        "remove `service_region`: connect to a gateway load balancer service of the VPC's own region",
    ),
];

impl Rule for GwlbInvalidAttribute {
    fn code(&self) -> Code {
        Code::GwlbInvalidAttribute
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint) in gwlb_endpoints(model) {
            if not_gwlb_service(model, endpoint) {
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
                cx.report(
                    Diagnostic::new(
                        Code::GwlbInvalidAttribute,
                        format!(
                            "gateway load balancer endpoint `{}` cannot have `{attr}`",
                            common.shown()
                        ),
                    )
                    .with_label(span, *label)
                    .with_help(*help),
                );
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

security_group "fw" { vpc = vpc.main }

load_balancer "fw" {
  type = "gateway"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/fw/0123456789abcdef"
  azs  = ["euw1-az1"]
}

endpoint_service "fw" { load_balancers = [load_balancer.fw] }
"#;

    fn v505(hcl: &str) -> Vec<(&'static str, usize)> {
        codes_and_lines(hcl)
            .into_iter()
            .filter(|(c, _)| *c == "V505")
            .collect()
    }

    #[test]
    fn one_finding_per_attribute() {
        let hcl = format!(
            r#"{HEAD}
endpoint "fw" {{
  type            = "gateway_load_balancer"
  service         = endpoint_service.fw
  vpc             = vpc.main
  subnets         = [subnet.a]
  security_groups = [security_group.fw]
  private_dns     = false
  route_tables    = [route_table.private]
  policy          = jsonencode({{ Statement = [] }})
  dns_record_ip_type = "ipv4"
  ip_address_type = "dualstack"
}}
"#
        );
        // `ip_address_type` (line 34) is valid on a GWLB endpoint.
        assert_eq!(
            v505(&hcl),
            [
                ("V505", 29),
                ("V505", 30),
                ("V505", 31),
                ("V505", 32),
                ("V505", 33)
            ]
        );
    }

    #[test]
    fn service_region_of_the_vpc_only() {
        let endpoint = |region: &str| {
            format!(
                r#"{HEAD}
endpoint "fw" {{
  type           = "gateway_load_balancer"
  service        = endpoint_service.fw
  vpc            = vpc.main
  subnets        = [subnet.a]
  service_region = "{region}"
}}
"#
            )
        };
        assert_eq!(v505(&endpoint("eu-west-1")), [("V505", 29)]);
        assert_eq!(v505(&endpoint("us-east-1")), []);
    }

    #[test]
    fn wrong_type_is_v501s() {
        let hcl = format!(
            r#"{HEAD}
endpoint "ssm" {{
  type            = "gateway_load_balancer"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.a]
  security_groups = [security_group.fw]
}}
"#
        );
        assert_eq!(v505(&hcl), []);
    }

    #[test]
    fn plain_gwlb_endpoint_passes() {
        let hcl = format!(
            r#"{HEAD}
endpoint "fw" {{
  type            = "gateway_load_balancer"
  service         = endpoint_service.fw
  vpc             = vpc.main
  subnets         = [subnet.a]
  ip_address_type = "ipv4"
}}
"#
        );
        assert_eq!(v505(&hcl), []);
    }
}
