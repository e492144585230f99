use serde_json::Value;
use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::EndpointType;

use super::{endpoint_policies, parse, valid_statements};
use crate::{
    service::{self, Service},
    Rule, RuleCx,
};

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

/// Endpoint service short names whose IAM prefix is not derived from the name.
const PREFIXES: &[(&str, &str)] = &[
    ("appconfigdata", "appconfig"),
    ("cloudcontrolapi", "cloudformation"),
    ("data-servicediscovery", "servicediscovery"),
    ("deviceadvisor.iot", "iotdeviceadvisor"),
    ("email-smtp", "ses"),
    ("forecastquery", "forecast"),
    ("git-codecommit", "codecommit"),
    ("iot.fleethub.api", "iotfleethub"),
    ("kinesis-firehose", "firehose"),
    ("kinesis-streams", "kinesis"),
    ("lorawan.cups", "iotwireless"),
    ("lorawan.lns", "iotwireless"),
    ("memory-db", "memorydb"),
    ("models-v2-lex", "lex"),
    ("monitoring", "cloudwatch"),
    ("pinpoint", "mobiletargeting"),
    ("pinpoint-sms-voice-v2", "sms-voice"),
    ("runtime-medical-imaging", "medical-imaging"),
    ("runtime-v2-lex", "lex"),
    ("streaming-rekognition", "rekognition"),
    ("sync-states", "states"),
    ("transcribestreaming", "transcribe"),
];

/// Prefixes a service answers to besides its own.
const EXTRA: &[(&str, &str)] = &[("s3", "s3-object-lambda")];

/// The IAM prefix of the endpoint service `short` (its catalogue name), as the help
/// shows it: `s3`, `ecr` for `ecr.dkr`, `cloudwatch` for `monitoring`.
fn own_prefix(short: &str) -> &str {
    let name = short.strip_suffix("-fips").unwrap_or(short);
    if name.ends_with("-omics") {
        return "omics";
    }
    PREFIXES
        .iter()
        .find(|(service, _)| *service == name)
        .map_or_else(
            || name.split('.').next().unwrap_or(name),
            |(_, prefix)| prefix,
        )
}

/// Whether an action's service prefix (lowercase) belongs to the endpoint service
/// `short`.
fn prefix_belongs(short: &str, prefix: &str) -> bool {
    let name = short.strip_suffix("-fips").unwrap_or(short);
    let derived = [
        short,
        name,
        own_prefix(short),
        name.split('.').next().unwrap_or(name),
        name.split('-').next().unwrap_or(name),
    ];
    derived.contains(&prefix)
        || EXTRA
            .iter()
            .any(|(service, extra)| *service == name && *extra == prefix)
}

/// The action names of a statement: its `Action` and `NotAction`, a string or a list.
fn actions(statement: &serde_json::Map<String, Value>) -> impl Iterator<Item = &str> {
    ["Action", "NotAction"]
        .into_iter()
        .filter_map(|key| statement.get(key))
        .flat_map(|value| match value {
            Value::String(one) => vec![one.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        })
}

/// Whether `action` names another service than `short`.
fn is_foreign(short: &str, action: &str) -> bool {
    let Some((prefix, _)) = action.split_once(':') else {
        return false;
    };
    let prefix = prefix.trim().to_ascii_lowercase();
    !(prefix.is_empty() || prefix.contains(['*', '?']) || prefix_belongs(short, &prefix))
}

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
            }) = service::resolve(model, item.endpoint)
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
            for action in statements.iter().flat_map(|s| actions(s)) {
                if is_foreign(&name, action) && !foreign.contains(&action) {
                    foreign.push(action);
                }
            }
            if foreign.is_empty() {
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
            let own = own_prefix(&name);
            let mut diagnostic = Diagnostic::new(Code::PolicyForeignAction, message).with_label(
                item.span,
                format!("requests through this endpoint go to `{name}` only"),
            );
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
    use super::{is_foreign, own_prefix};

    #[test]
    fn own_prefixes() {
        assert_eq!(own_prefix("s3"), "s3");
        assert_eq!(own_prefix("ecr.dkr"), "ecr");
        assert_eq!(own_prefix("monitoring"), "cloudwatch");
        assert_eq!(own_prefix("kms-fips"), "kms");
        assert_eq!(own_prefix("tags-omics"), "omics");
    }

    #[test]
    fn prefixes() {
        for (service, action) in [
            ("s3", "s3:GetObject"),
            ("s3", "S3:getobject"),
            ("s3", "*"),
            ("s3", "s3*:Get*"),
            ("ecr.api", "ecr:GetAuthorizationToken"),
            ("ecr.dkr", "ecr:BatchGetImage"),
            ("monitoring", "cloudwatch:PutMetricData"),
            ("email-smtp", "ses:SendRawEmail"),
            ("kinesis-streams", "kinesis:PutRecord"),
            ("kinesis-firehose", "firehose:PutRecord"),
            ("git-codecommit", "codecommit:GitPull"),
            ("execute-api", "execute-api:Invoke"),
            ("s3", "s3-object-lambda:GetObject"),
            ("ssmmessages", "ssmmessages:OpenDataChannel"),
            ("sagemaker.runtime", "sagemaker:InvokeEndpoint"),
            ("bedrock-runtime", "bedrock:InvokeModel"),
            ("kms-fips", "kms:Decrypt"),
            ("storage-omics", "omics:GetReadSet"),
            ("s3express", "s3express:CreateSession"),
        ] {
            assert!(!is_foreign(service, action), "{service} {action}");
        }
        for (service, action) in [
            ("s3", "dynamodb:GetItem"),
            ("s3", "s3express:CreateSession"),
            ("dynamodb", "s3:GetObject"),
            ("sqs", "sns:Publish"),
            ("monitoring", "logs:PutLogEvents"),
        ] {
            assert!(is_foreign(service, action), "{service} {action}");
        }
    }

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
        assert_eq!(lines_of("V703", &hcl), [22]);
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
