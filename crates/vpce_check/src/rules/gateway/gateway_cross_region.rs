use vpce_diagnostics::{Code, Diagnostic};

use super::{cross_region, gateway_endpoints, gateway_service};
use crate::{service::Service, Rule, RuleCx};

/// V302: a gateway endpoint for a service in another region than its VPC.
///
/// A gateway endpoint adds a route to the prefix list of its service *in the VPC's
/// region*: it cannot reach S3 or DynamoDB of another region (AWS-FACTS §3.4 C13:
/// gateway endpoints work only within their own region; UNCONFIRMED by a primary
/// source in vpce's facts). Cross-region PrivateLink exists for interface endpoints
/// only (§3.6 S6). The service's region comes from a full name
/// (`com.amazonaws.us-east-1.s3`) or from `service_region`; the VPC's from its `region`
/// or the top-level one. Unknown regions are skipped (V114 reports them).
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html>.
pub struct GatewayCrossRegion;

impl Rule for GatewayCrossRegion {
    fn code(&self) -> Code {
        Code::GatewayCrossRegion
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint) in gateway_endpoints(model) {
            let Some((region, vpc_region)) = cross_region(model, endpoint) else {
                continue;
            };
            let (
                Some(Service::Aws {
                    name,
                    full_name,
                    catalogue,
                    ..
                }),
                Some(vpc),
            ) = (gateway_service(endpoint), endpoint.vpc)
            else {
                continue;
            };
            let vpc_address = model.address(vpc.obj_ref());
            let service_region = endpoint
                .service_region
                .as_ref()
                .filter(|r| r.value == region);
            let (span, label, fix) = match (service_region, &endpoint.service) {
                (Some(written), _) => (
                    written.span,
                    format!("`{name}` of `{region}`"),
                    "remove `service_region`".to_string(),
                ),
                (None, Some(service)) => (
                    service.span,
                    format!("a service of `{region}`"),
                    format!("use `service = \"{name}\"`"),
                ),
                (None, None) => continue,
            };
            let other_way = if catalogue.is_some_and(|c| c.cross_region && c.interface) {
                format!(
                    "to reach `{region}` privately, use an interface endpoint with `service_region = \"{region}\"`"
                )
            } else {
                format!("to reach `{region}`, use a gateway endpoint in a VPC of that region")
            };
            cx.report(
                Diagnostic::new(
                    Code::GatewayCrossRegion,
                    format!(
                        "gateway endpoint `{}` is for `{full_name}`, but its VPC `{}` is in `{}`",
                        endpoint.common.shown(),
                        model.vpcs[vpc].common.shown(),
                        vpc_region.value
                    ),
                )
                .with_label(span, label)
                .with_label(
                    vpc_region.span,
                    format!("`{vpc_address}` is in `{}`", vpc_region.value),
                )
                .with_help(format!(
                    "{fix}: gateway endpoints serve only their own region; {other_way}"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    fn gateway(service: &str, extra: &str) -> String {
        format!(
            r#"region = "eu-west-1"

vpc "main" {{ cidr = "10.0.0.0/16" }}

route_table "private" {{ vpc = vpc.main }}

endpoint "e" {{
  type         = "gateway"
  service      = "{service}"
  vpc          = vpc.main
  route_tables = [route_table.private]
{extra}}}
"#
        )
    }

    #[test]
    fn full_name_of_another_region() {
        let hcl = gateway("com.amazonaws.us-east-1.s3", "");
        assert_eq!(codes_and_lines(&hcl), [("V302", 9)]);
        let hcl = gateway("com.amazonaws.us-east-1.dynamodb", "");
        assert_eq!(codes_and_lines(&hcl), [("V302", 9)]);
    }

    #[test]
    fn service_region_of_another_region() {
        let hcl = gateway("s3", "  service_region = \"us-east-1\"\n");
        assert_eq!(codes_and_lines(&hcl), [("V302", 12)]);
    }

    #[test]
    fn vpc_region_overrides_the_top_level_one() {
        let hcl = r#"region = "eu-west-1"

vpc "main" {
  cidr   = "10.0.0.0/16"
  region = "us-east-1"
}

route_table "private" { vpc = vpc.main }

endpoint "e" {
  type         = "gateway"
  service      = "com.amazonaws.eu-west-1.s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
}
"#;
        assert_eq!(codes_and_lines(hcl), [("V302", 12)]);
    }

    #[test]
    fn same_region_passes() {
        assert_eq!(
            codes_and_lines(&gateway("com.amazonaws.eu-west-1.s3", "")),
            []
        );
        assert_eq!(codes_and_lines(&gateway("s3", "")), []);
    }

    #[test]
    fn unknown_regions_and_services_are_left_to_other_rules() {
        let hcl = gateway("com.amazonaws.xx-nowhere-1.s3", "");
        assert!(!codes_and_lines(&hcl).iter().any(|(c, _)| *c == "V302"));
        let hcl = gateway("com.amazonaws.us-east-1.ssm", "");
        assert!(!codes_and_lines(&hcl).iter().any(|(c, _)| *c == "V302"));
    }
}
