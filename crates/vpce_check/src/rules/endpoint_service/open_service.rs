use vpce_diagnostics::{Code, Diagnostic};

use super::address;
use crate::{Rule, RuleCx};

/// V602: an endpoint service that every AWS account may connect to without review:
/// `"*"` in `allowed_principals` while `acceptance_required = false`.
///
/// `*` lets any principal of any account discover the service and create an endpoint
/// to it; with acceptance off, AWS connects each such endpoint at once, so anyone can
/// reach the load balancer behind it. checkov reports the same with CKV_AWS_123
/// ("Ensure that VPC Endpoint Service is configured for Manual Acceptance"; AWS-FACTS
/// §4.2), which flags acceptance off whatever the principals; vpce warns only when the
/// principals are open too, since an explicit list of accounts is a review of its own.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html>.
pub struct OpenService;

impl Rule for OpenService {
    fn code(&self) -> Code {
        Code::OpenService
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (id, service) in model.endpoint_services.iter() {
            if service.acceptance_required {
                continue;
            }
            let Some(star) = service.allowed_principals.iter().find(|p| p.value == "*") else {
                continue;
            };
            let mut diagnostic = Diagnostic::new(
                Code::OpenService,
                format!(
                    "any AWS account can connect to `{}` without review",
                    address(model, id)
                ),
            )
            .with_label(star.span, "every principal of every account");
            if let Some(span) = service.common.value_span("acceptance_required") {
                diagnostic = diagnostic.with_label(span, "connections are accepted automatically");
            }
            cx.report(diagnostic.with_help(
                "set `acceptance_required = true`, or list the accounts that may connect in `allowed_principals`",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines_of;

    fn service(body: &str) -> String {
        format!(
            r#"region = "eu-west-1"

load_balancer "nlb" {{
  type = "network"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/api/0123456789abcdef"
  azs  = ["euw1-az1", "euw1-az2"]
}}

endpoint_service "api" {{
  load_balancers = [load_balancer.nlb]
{body}}}
"#
        )
    }

    #[test]
    fn open_to_everyone_without_review() {
        let hcl = service("  acceptance_required = false\n  allowed_principals  = [\"*\"]\n");
        assert_eq!(lines_of("V602", &hcl), [12]);
    }

    #[test]
    fn reviewed_or_restricted_passes() {
        // Acceptance is on by default.
        assert_eq!(
            lines_of("V602", &service("  allowed_principals = [\"*\"]\n")),
            Vec::<usize>::new()
        );
        let listed = service(
            "  acceptance_required = false\n  allowed_principals  = [\"arn:aws:iam::111122223333:root\"]\n",
        );
        assert_eq!(lines_of("V602", &listed), Vec::<usize>::new());
    }
}
