use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::policy::{allows_nothing, own_prefix, AllowsNothing};

use super::endpoint_policies;
use crate::{Rule, RuleCx};

/// V706: an endpoint policy none of whose statements allows an action of the endpoint's
/// service: it has only `Deny` statements, or its `Allow` statements name only actions
/// of other services.
///
/// IAM denies what no statement allows, and an endpoint policy is evaluated for every
/// request that passes through the endpoint (AWS-FACTS §3.8): such a policy refuses
/// every request, so the endpoint carries nothing and reachability says `denied`. The
/// predicate is `vpce_model::policy::allows_nothing`, the one reachability uses. Only
/// endpoints to AWS services of the built-in catalogue that take custom policies are
/// judged: AWS allows full access through an endpoint to an endpoint service, whatever
/// its policy. When every `Allow` names other services, this finding replaces V703's
/// (one cause).
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html>,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>.
pub struct PolicyDeniesAll;

impl Rule for PolicyDeniesAll {
    fn code(&self) -> Code {
        Code::PolicyDeniesAll
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for item in endpoint_policies(model) {
            let Some(why) = allows_nothing(item.endpoint) else {
                continue;
            };
            let (label, help) = match &why {
                AllowsNothing::NoAllow => (
                    "no statement has `Effect = \"Allow\"`".to_string(),
                    "add a statement that allows the actions clients need, or remove `policy` to allow everything".to_string(),
                ),
                AllowsNothing::OnlyOtherServices { service } => (
                    format!("every `Allow` names actions of other services than `{service}`"),
                    format!(
                        "allow the `{}:` actions clients need, or remove `policy` to allow everything",
                        own_prefix(service)
                    ),
                ),
            };
            cx.report(
                Diagnostic::new(
                    Code::PolicyDeniesAll,
                    format!(
                        "the policy of `{}` allows nothing: every request through it is refused",
                        item.owner(model)
                    ),
                )
                .with_label(item.span, label)
                .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{lines_of, with_policies};

    fn policy(effect: &str, action: &str) -> String {
        format!(
            "  policy = {{\n    Statement = [{{\n      Effect    = \"{effect}\"\n      Principal = \"*\"\n      Action    = {action}\n      Resource  = \"*\"\n    }}]\n  }}\n"
        )
    }

    #[test]
    fn deny_only_and_other_services_only() {
        let deny = with_policies(&policy("Deny", "\"s3:DeleteObject\""), "sqs", "");
        assert_eq!(lines_of("V706", &deny), [22]);
        let foreign = with_policies(&policy("Allow", "[\"dynamodb:GetItem\"]"), "sqs", "");
        assert_eq!(lines_of("V706", &foreign), [22]);
        // One cause, one diagnostic: V703 leaves this policy to V706.
        assert_eq!(lines_of("V703", &foreign), Vec::<usize>::new());
    }

    #[test]
    fn policies_that_allow_something_pass() {
        for action in [
            "\"s3:GetObject\"",
            "[\"dynamodb:GetItem\", \"s3:GetObject\"]",
            "\"*\"",
        ] {
            let hcl = with_policies(&policy("Allow", action), "sqs", "");
            assert_eq!(lines_of("V706", &hcl), Vec::<usize>::new(), "{action}");
        }
    }
}
