use vpce_diagnostics::{Code, Diagnostic};

use super::interface_endpoints;
use crate::{Rule, RuleCx};

/// V400: an interface endpoint without subnets: `subnets` absent, or an empty list.
///
/// An interface endpoint is a network interface in each of its subnets. CloudFormation's
/// `SubnetIds` says "You must specify this property for an interface endpoint", yet AWS
/// creates an interface endpoint without subnets: it simply has no network interface,
/// so no client can use it. Hence a warning, not an error.
///
/// Existing endpoints (`id`) without `subnets` are not reported: vpce cannot see their
/// subnets. A list whose items were all invalid is the front end's finding, not this one.
pub struct InterfaceNoSubnets;

impl Rule for InterfaceNoSubnets {
    fn code(&self) -> Code {
        Code::InterfaceNoSubnets
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint) in interface_endpoints(model) {
            let common = &endpoint.common;
            if !endpoint.subnets.is_empty() {
                continue;
            }
            let vpc = endpoint
                .vpc
                .map(|v| format!(" of `{}`", model.vpcs[v].common.address))
                .unwrap_or_default();
            let help = format!(
                "add `subnets = [subnet.NAME, ...]` with one subnet{vpc} in each AZ where clients run"
            );
            let diagnostic = match common.value_span("subnets") {
                // Existing, or written under a misspelt name (V102 said so).
                None if common.is_existing() || common.is_rejected("subnets") => continue,
                None => Diagnostic::new(
                    Code::InterfaceNoSubnets,
                    format!("interface endpoint `{}` has no subnets", common.shown()),
                )
                .with_label(common.header, "no `subnets`"),
                Some(span) if !common.is_rejected("subnets") => Diagnostic::new(
                    Code::InterfaceNoSubnets,
                    format!(
                        "interface endpoint `{}` has an empty list of subnets",
                        common.shown()
                    ),
                )
                .with_label(span, "no subnet here"),
                Some(_) => continue,
            };
            cx.report(
                diagnostic
                    .with_note("AWS creates an interface endpoint without subnets, but it has no network interface, so no client can reach the service through it")
                    .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{lines_of, BASE};
    use crate::testing::codes_and_lines;

    #[test]
    fn absent_and_empty_subnets() {
        let hcl = format!(
            r#"{BASE}endpoint "ssm" {{
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  security_groups = [security_group.endpoints]
}}

endpoint "kms" {{
  type            = "interface"
  service         = "kms"
  vpc             = vpc.main
  subnets         = []
  security_groups = [security_group.endpoints]
}}
"#
        );
        assert_eq!(lines_of("V400", &hcl), [33, 44]);
    }

    #[test]
    fn invalid_items_and_other_types_are_not_reported() {
        let hcl = format!(
            r#"{BASE}endpoint "ssm" {{
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.nope]
  security_groups = [security_group.endpoints]
}}

endpoint "existing" {{
  id      = "vpce-0123456789abcdef0"
  type    = "interface"
  service = "kms"
  vpc     = vpc.main
}}

endpoint "s3" {{
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
}}
"#
        );
        assert_eq!(lines_of("V400", &hcl), Vec::<usize>::new());
        assert!(codes_and_lines(&hcl).iter().any(|(c, _)| *c == "V105"));
    }

    #[test]
    fn endpoint_with_subnets_passes() {
        let hcl = format!(
            r#"{BASE}endpoint "ssm" {{
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.b]
  security_groups = [security_group.endpoints]
}}
"#
        );
        assert_eq!(lines_of("V400", &hcl), Vec::<usize>::new());
    }
}
