use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::EndpointType;

use super::{endpoint_policies, is_full_access, parse};
use crate::{Rule, RuleCx};

/// V704: an endpoint policy that is the default full-access policy, written out.
///
/// Without a policy, AWS gives an endpoint the full-access policy: one statement that
/// allows every principal (`"*"`) every action (`"*"`) on every resource (`"*"`)
/// (`AWS::EC2::VPCEndpoint.PolicyDocument`: "The default endpoint policy allows full
/// access to the service"; AWS-FACTS §1.1 and §3.8). Writing it out changes nothing but
/// looks like a restriction to a reader; removing it says what it means. A statement
/// may carry a `Sid` and the document `Version` and `Id`; a `Condition`, a `Deny`, a
/// second statement or a narrower list makes the policy a custom one.
///
/// Severity info: shown with `--verbose`. Gateway load balancer endpoints are left to
/// V505.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html>.
pub struct PolicyFullAccess;

impl Rule for PolicyFullAccess {
    fn code(&self) -> Code {
        Code::PolicyFullAccess
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
            let Ok(doc) = parse(item.policy) else {
                continue;
            };
            if !is_full_access(&doc) {
                continue;
            }
            cx.report(
                Diagnostic::new(
                    Code::PolicyFullAccess,
                    format!(
                        "the policy of `{}` is the default full-access policy, written out",
                        item.owner(model)
                    ),
                )
                .with_label(item.span, "allows everything, as no policy does")
                .with_help("remove `policy`: AWS applies this policy when none is given"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{lines_of, with_policies};

    #[test]
    fn default_policy_written_out() {
        let hcl = with_policies(
            "  policy = jsonencode({\n    Statement = [{ Effect = \"Allow\", Principal = \"*\", Action = \"*\", Resource = \"*\" }]\n  })\n",
            "sqs",
            "",
        );
        assert_eq!(lines_of("V704", &hcl), [22]);
    }

    #[test]
    fn restricted_policy_passes() {
        let hcl = with_policies(
            "  policy = jsonencode({\n    Statement = [{ Effect = \"Allow\", Principal = \"*\", Action = \"s3:GetObject\", Resource = \"*\" }]\n  })\n",
            "sqs",
            "",
        );
        assert_eq!(lines_of("V704", &hcl), Vec::<usize>::new());
    }
}
