use vpce_diagnostics::{Code, Diagnostic};

use super::{gwlb_endpoints, not_gwlb_service};
use crate::{rules::gateway::written_empty, Rule, RuleCx};

/// V500: a gateway load balancer endpoint without exactly one subnet.
///
/// A GWLB endpoint is one network interface in one subnet: CloudFormation's `SubnetIds`
/// says "For a Gateway Load Balancer endpoint, you can specify only one subnet", and
/// the PrivateLink guide "You can choose only one Availability Zone in the service
/// consumer VPC. You can't change this subnet later on." (AWS-FACTS §1.1, §3.2 C4).
/// Zero subnets is reported when `subnets` is missing or `[]` (a list whose items failed
/// to resolve was already reported); two or more at the second subnet. Existing
/// endpoints (`id`) without `subnets` are not reported: they are only partly described.
/// Endpoints whose service is not a gateway load balancer service are V501's.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-load-balancer-endpoints.html>.
pub struct GwlbOneSubnet;

impl Rule for GwlbOneSubnet {
    fn code(&self) -> Code {
        Code::GwlbOneSubnet
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint) in gwlb_endpoints(model) {
            if not_gwlb_service(model, endpoint) {
                continue;
            }
            let common = &endpoint.common;
            let name = &common.shown();
            let diagnostic = match endpoint.subnets.as_slice() {
                [_] => continue,
                [] => {
                    let (span, label) = if written_empty(common, "subnets") {
                        (common.value_span_or_header("subnets"), "an empty list")
                    } else if common.value_span("subnets").is_none() && !common.is_existing() {
                        (common.header, "no `subnets`")
                    } else {
                        continue;
                    };
                    Diagnostic::new(
                        Code::GwlbOneSubnet,
                        format!("gateway load balancer endpoint `{name}` has no subnet"),
                    )
                    .with_label(span, label)
                    .with_help("give it exactly one subnet, a small subnet of its own in the AZ whose traffic it inspects, and create one endpoint per AZ")
                }
                [first, second, rest @ ..] => {
                    let mut diagnostic = Diagnostic::new(
                        Code::GwlbOneSubnet,
                        format!(
                            "gateway load balancer endpoint `{name}` has {} subnets, but takes exactly one",
                            2 + rest.len()
                        ),
                    )
                    .with_label(second.span, "a second subnet")
                    .with_label(first.span, "the first subnet");
                    for extra in rest {
                        diagnostic = diagnostic.with_label(extra.span, "another subnet");
                    }
                    diagnostic.with_help(
                        "keep one subnet here and create one more gateway load balancer endpoint for each other AZ",
                    )
                }
            };
            cx.report(diagnostic);
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

subnet "b" {
  vpc  = vpc.main
  az   = "euw1-az2"
  cidr = "10.0.2.0/24"
}

load_balancer "fw" {
  type = "gateway"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/fw/0123456789abcdef"
  azs  = ["euw1-az1", "euw1-az2"]
}
endpoint_service "fw" {
  load_balancers      = [load_balancer.fw]
  acceptance_required = false
}
"#;

    fn endpoint(subnets: &str) -> String {
        format!(
            r#"{HEAD}
endpoint "fw" {{
  type    = "gateway_load_balancer"
  service = endpoint_service.fw
  vpc     = vpc.main
{subnets}}}
"#
        )
    }

    fn v500(hcl: &str) -> Vec<(&'static str, usize)> {
        codes_and_lines(hcl)
            .into_iter()
            .filter(|(c, _)| *c == "V500")
            .collect()
    }

    #[test]
    fn two_subnets_at_the_second() {
        let hcl = endpoint("  subnets = [\n    subnet.a,\n    subnet.b,\n  ]\n");
        assert_eq!(v500(&hcl), [("V500", 31)]);
    }

    #[test]
    fn no_subnets() {
        assert_eq!(v500(&endpoint("")), [("V500", 25)]);
        assert_eq!(v500(&endpoint("  subnets = []\n")), [("V500", 29)]);
    }

    #[test]
    fn unresolved_subnet_is_not_reported_again() {
        assert_eq!(
            codes_and_lines(&endpoint("  subnets = [subnet.nope]\n")),
            [("V105", 29)]
        );
    }

    #[test]
    fn one_subnet_passes() {
        assert_eq!(v500(&endpoint("  subnets = [subnet.a]\n")), []);
    }

    #[test]
    fn an_aws_service_is_v501s() {
        let hcl = endpoint("  subnets = [subnet.a, subnet.b]\n")
            .replace("service = endpoint_service.fw", "service = \"ssm\"");
        assert_eq!(v500(&hcl), []);
    }
}
