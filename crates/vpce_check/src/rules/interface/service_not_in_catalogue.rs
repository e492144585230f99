use vpce_diagnostics::{Code, Diagnostic};

use super::{interface_endpoints, unknown_service::catalogue_miss};
use crate::{Rule, RuleCx};

/// V412: a well-formed AWS service name that vpce's catalogue does not list and that is
/// not a likely typo of one it does (that is V405, with a did-you-mean).
///
/// vpce's catalogue comes from moto and from AWS's page "AWS services that integrate
/// with AWS PrivateLink", read on the date [`vpce_data::aws_list_read`] returns; AWS
/// adds PrivateLink services every month or so, so an unknown name may simply be newer
/// than the catalogue (as `s3tables` and `bedrock-agentcore` were). A warning, then, not
/// an error: `aws ec2 describe-vpc-endpoint-services` in the account settles it.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html>.
pub struct ServiceNotInCatalogue;

impl Rule for ServiceNotInCatalogue {
    fn code(&self) -> Code {
        Code::ServiceNotInCatalogue
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint) in interface_endpoints(model) {
            let Some(miss) = catalogue_miss(endpoint) else {
                continue;
            };
            if miss.typo_of.is_some() {
                continue;
            }
            let read = vpce_data::aws_list_read();
            cx.report(
                Diagnostic::new(
                    Code::ServiceNotInCatalogue,
                    format!(
                        "`{}` is not in vpce's service catalogue (AWS's list as of {read})",
                        miss.full_name
                    ),
                )
                .with_label(miss.span, "not in the catalogue")
                .with_note(format!(
                    "AWS adds PrivateLink services often, and vpce's catalogue follows AWS's list \"AWS services that integrate with AWS PrivateLink\" as read on {read}: the name may be right"
                ))
                .with_help(format!(
                    "confirm it with `aws ec2 describe-vpc-endpoint-services --service-names {}`",
                    miss.full_name
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{first_of, interface_endpoint_to, lines_of};
    use crate::testing::{codes, codes_and_lines};

    fn endpoint(service: &str) -> String {
        interface_endpoint_to(&format!("\"{service}\""))
    }

    #[test]
    fn names_far_from_the_catalogue_are_warnings() {
        for (text, full) in [
            ("mystery-service", "com.amazonaws.eu-west-1.mystery-service"),
            (
                "com.amazonaws.eu-west-1.quantum-ledger",
                "com.amazonaws.eu-west-1.quantum-ledger",
            ),
            ("com.amazonaws.iam", "com.amazonaws.iam"),
        ] {
            let hcl = endpoint(text);
            let codes = codes(&hcl);
            assert_eq!(codes, ["V412"], "{text}");
            let d = first_of("V412", &hcl);
            assert_eq!(d.severity, vpce_diagnostics::Severity::Warning);
            assert!(
                d.message.starts_with(&format!("`{full}` is not in")),
                "{}",
                d.message
            );
        }
    }

    #[test]
    fn typos_stay_v405_and_catalogued_names_pass() {
        assert_eq!(lines_of("V412", &endpoint("ssmm")), Vec::<usize>::new());
        assert_eq!(lines_of("V405", &endpoint("ssmm")), [35]);
        // Once missing and far from every name: now in the catalogue.
        for text in [
            "s3tables",
            "bedrock-agentcore",
            "com.amazonaws.eu-west-1.s3tables",
        ] {
            let codes = codes_and_lines(&endpoint(text));
            assert!(codes.is_empty(), "{text}: {codes:?}");
        }
    }

    #[test]
    fn malformed_names_are_v405() {
        let hcl = endpoint("Not A Service");
        assert_eq!(lines_of("V412", &hcl), Vec::<usize>::new());
        assert_eq!(lines_of("V405", &hcl), [35]);
    }
}
