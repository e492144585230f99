use vpce_diagnostics::{Code, Diagnostic, Severity};
use vpce_model::EndpointType;

use super::{endpoint_policies, is_full_access, parse, valid_statements};
use crate::{service::Service, Rule, RuleCx};

/// V705: a custom endpoint policy on a service that accepts only the full-access
/// policy.
///
/// Some AWS services reject any endpoint policy but the default full-access one; AWS
/// fails the endpoint with "Service com.amazonaws.eu-west-1.eks only supports the
/// full-access endpoint policy." (AWS-FACTS §3.1 T6; LZA issue #224). Which services
/// do comes from the built-in catalogue (`full_access_policy_only`): an error where an
/// AWS source confirms it (`eks`), a warning where only moto says so
/// (`VpcEndpointPolicySupported = false`: `cloudformation`, `codepipeline`, ...),
/// since moto is a mock and may be wrong. A service the catalogue does not know is not
/// reported. The full-access policy written out is accepted (V704 notes it).
///
/// Gateway load balancer endpoints take no policy at all, but that is V505's finding
/// (gwlb-invalid-attribute reports `policy` there), so this rule does not report them
/// again. Policies that are not JSON or not the shape of a policy are V700's.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html>.
pub struct PolicyUnsupported;

impl Rule for PolicyUnsupported {
    fn code(&self) -> Code {
        Code::PolicyUnsupported
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for item in endpoint_policies(model) {
            if !matches!(
                item.endpoint_type,
                Some(EndpointType::Gateway | EndpointType::Interface)
            ) {
                continue;
            }
            let Some(Service::Aws {
                name,
                full_name,
                catalogue: Some(entry),
                ..
            }) = item.endpoint.resolved_service.as_ref()
            else {
                continue;
            };
            if !entry.full_access_policy_only {
                continue;
            }
            let Ok(doc) = parse(item.policy) else {
                continue;
            };
            if valid_statements(&doc).is_none() || is_full_access(&doc) {
                continue;
            }
            // Where only moto says so, say so, and warn rather than fail.
            let (source, severity) = if entry.full_access_policy_only_confirmed {
                ("", Severity::Error)
            } else {
                ("moto says ", Severity::Warning)
            };
            let mut diagnostic = Diagnostic::new(
                Code::PolicyUnsupported,
                format!(
                    "{source}`{name}` accepts only the full-access endpoint policy, but `{}` has a custom one",
                    item.owner(model)
                ),
            )
            .with_severity(severity)
            .with_label(item.span, "a custom policy");
            if let Some(span) = item.endpoint.common.value_span("service") {
                diagnostic = diagnostic.with_label(
                    span,
                    format!("{source}`{full_name}` supports only the full-access policy"),
                );
            }
            if severity == Severity::Warning {
                diagnostic = diagnostic.with_note(
                    "moto, the AWS mock vpce's catalogue is generated from, is the only source of this restriction: no AWS source confirms it",
                );
            }
            cx.report(diagnostic.with_help(format!(
                "remove `policy`, and control access to `{name}` with IAM policies on its callers"
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{lines_of, with_policies};
    use crate::testing::diagnostics_of;

    const CUSTOM: &str = "  policy = {\n    Statement = [{\n      Effect    = \"Allow\"\n      Principal = \"*\"\n      Action    = \"eks:DescribeCluster\"\n      Resource  = \"*\"\n    }]\n  }\n";

    #[test]
    fn custom_policy_on_eks() {
        assert_eq!(lines_of("V705", &with_policies("", "eks", CUSTOM)), [29]);
    }

    #[test]
    fn error_where_aws_confirms_warning_where_only_moto_says_so() {
        let confirmed = diagnostics_of(&with_policies("", "eks", CUSTOM));
        let eks = confirmed.iter().find(|d| d.code.as_str() == "V705");
        assert_eq!(eks.unwrap().severity, vpce_diagnostics::Severity::Error);
        let custom = CUSTOM.replace("eks:DescribeCluster", "cloudformation:DescribeStacks");
        let hcl = with_policies("", "cloudformation", &custom);
        assert_eq!(lines_of("V705", &hcl), [29]);
        let moto_only = vpce_driver::check_text(&hcl);
        let d = moto_only
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == "V705")
            .unwrap();
        assert_eq!(d.severity, vpce_diagnostics::Severity::Warning);
        assert!(
            d.message.starts_with("moto says `cloudformation`"),
            "{}",
            d.message
        );
        assert!(
            d.notes.iter().any(|n| n.contains("no AWS source")),
            "{:?}",
            d.notes
        );
    }

    #[test]
    fn full_access_or_other_services_pass() {
        let full = CUSTOM.replace("eks:DescribeCluster", "*");
        assert_eq!(
            lines_of("V705", &with_policies("", "eks", &full)),
            Vec::<usize>::new()
        );
        assert_eq!(
            lines_of(
                "V705",
                &with_policies("", "sqs", &CUSTOM.replace("eks:", "sqs:"))
            ),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn gwlb_endpoints_are_left_to_v505() {
        let hcl = r#"region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

subnet "a" {
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}

endpoint "fw" {
  type    = "gateway_load_balancer"
  service = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
  vpc     = vpc.main
  subnets = [subnet.a]
  policy  = { Statement = [] }
}
"#;
        for code in ["V700", "V702", "V704", "V705"] {
            assert_eq!(lines_of(code, hcl), Vec::<usize>::new(), "{code}");
        }
    }
}
