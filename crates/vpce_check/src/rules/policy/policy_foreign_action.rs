use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::EndpointType;

use serde_json::Value;
use vpce_diagnostics::Span;
use vpce_model::spans::Step;

use super::{endpoint_policies, parse, valid_statements, EndpointPolicy};
use crate::{service::Service, Rule, RuleCx};
use vpce_model::policy::{is_foreign, own_prefix};

/// V703: an endpoint policy that names actions of another service than the endpoint's
/// (`dynamodb:GetItem` in the policy of an S3 endpoint).
///
/// An endpoint policy only controls requests that go through the endpoint, and those
/// are requests to its one service (AWS-FACTS §3.8). An action of another service
/// matches nothing: an `Allow` for it grants nothing, and usually the statement was
/// meant for another endpoint or the wrong service was picked.
///
/// Actions are compared by their IAM service prefix (before `:`), case-insensitively.
/// Most endpoint services use their short name as prefix; vpce knows the exceptions
/// (`ecr.api` and `ecr.dkr` are `ecr`, `monitoring` is `cloudwatch`, `email-smtp` is
/// `ses`, `kinesis-firehose` is `firehose`, `git-codecommit` is `codecommit`, ...) and
/// also accepts the part of the name before the first `.` or `-` and the name without
/// `-fips`, so that an unlisted variant is not reported by mistake. `*` and prefixes
/// with wildcards match anything. Checked only for AWS services in the built-in
/// catalogue; unknown services and endpoint services (local or of other accounts) are
/// skipped, and so are services that accept only the full-access policy (V705 asks to
/// remove the whole policy). Gateway load balancer endpoints are left to V505.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html>,
/// <https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html>.
pub struct PolicyForeignAction;

impl Rule for PolicyForeignAction {
    fn code(&self) -> Code {
        Code::PolicyForeignAction
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
                catalogue: Some(entry),
                ..
            }) = item.endpoint.resolved_service.as_ref()
            else {
                continue;
            };
            if entry.full_access_policy_only {
                continue;
            }
            let Ok(doc) = parse(item.policy) else {
                continue;
            };
            let Some(statements) = valid_statements(&doc) else {
                continue;
            };
            let mut foreign: Vec<&str> = Vec::new();
            // Where each foreign action was written: the element of `Action`, else
            // `Action`, else the statement.
            let mut written: Vec<(Span, &str)> = Vec::new();
            for (index, statement) in statements.iter().enumerate() {
                let path = EndpointPolicy::statement_path(&doc, index);
                for key in ["Action", "NotAction"] {
                    let mut at = path.clone();
                    at.push(Step::Key(key));
                    let named: Vec<(Option<usize>, &str)> = match statement.get(key) {
                        Some(Value::String(one)) => vec![(None, one.as_str())],
                        Some(Value::Array(items)) => items
                            .iter()
                            .enumerate()
                            .filter_map(|(i, v)| Some((Some(i), v.as_str()?)))
                            .collect(),
                        _ => Vec::new(),
                    };
                    for (position, action) in named {
                        if !is_foreign(name, action) {
                            continue;
                        }
                        if !foreign.contains(&action) {
                            foreign.push(action);
                        }
                        let mut here = at.clone();
                        here.extend(position.map(Step::Index));
                        written.push((item.span_at(&here), action));
                    }
                }
            }
            // A policy that allows nothing at all is V706's finding.
            if foreign.is_empty()
                || matches!(
                    vpce_model::policy::allows_nothing(item.endpoint),
                    Some(vpce_model::policy::AllowsNothing::OnlyOtherServices { .. })
                )
            {
                continue;
            }
            let listed: Vec<String> = foreign.iter().map(|a| format!("`{a}`")).collect();
            let message = match listed.as_slice() {
                [one] => format!(
                    "the policy of `{}` names {one}, an action of another service than `{name}`",
                    item.owner(model)
                ),
                _ => format!(
                    "the policy of `{}` names actions of other services than `{name}`: {}",
                    item.owner(model),
                    listed.join(", ")
                ),
            };
            let own = own_prefix(name);
            let mut diagnostic = Diagnostic::new(Code::PolicyForeignAction, message);
            let mut labelled: Vec<Span> = Vec::new();
            for (span, action) in &written {
                if labelled.contains(span) {
                    continue;
                }
                labelled.push(*span);
                let label = if *span == item.span {
                    format!("requests through this endpoint go to `{name}` only")
                } else {
                    format!("`{action}` is not an action of `{name}`")
                };
                diagnostic = diagnostic.with_label(*span, label);
            }
            if let Some(span) = item.endpoint.common.value_span("service") {
                diagnostic =
                    diagnostic.with_label(span, format!("`{name}` takes `{own}:` actions"));
            }
            let help = if foreign.len() == 1 {
                "remove this action, or move it to the policy of an endpoint for its service"
            } else {
                "remove these actions, or move them to the policies of endpoints for their services"
            };
            cx.report(diagnostic.with_help(help));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{lines_of, with_policies};

    const S3_POLICY: &str = r#"  policy = {
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject", "dynamodb:GetItem", "dynamodb:Query"]
      Resource  = "*"
    }]
  }
"#;

    #[test]
    fn action_of_another_service() {
        let hcl = with_policies(S3_POLICY, "sqs", "");
        assert_eq!(lines_of("V703", &hcl), [26]);
    }

    #[test]
    fn unknown_services_and_endpoint_services_are_skipped() {
        let policy = "  policy = {\n    Statement = [{\n      Effect    = \"Allow\"\n      Principal = \"*\"\n      Action    = \"s3:GetObject\"\n      Resource  = \"*\"\n    }]\n  }\n";
        for service in [
            "not-in-the-catalogue",
            "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
        ] {
            let hcl = with_policies("", service, policy);
            assert_eq!(lines_of("V703", &hcl), Vec::<usize>::new(), "{service}");
        }
        // The endpoint's own actions.
        let hcl = with_policies(
            "",
            "sqs",
            &policy.replace("s3:GetObject", "sqs:SendMessage"),
        );
        assert_eq!(lines_of("V703", &hcl), Vec::<usize>::new());
    }
}
