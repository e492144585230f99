//! What an endpoint policy says, for the rules (V703, V706) and for reachability: one
//! parser of the document, one reading of its statements, one notion of which actions
//! belong to the endpoint's service, and one answer to "does this policy allow
//! anything of the service at all".
//!
//! An endpoint policy controls only the requests that pass through the endpoint, and
//! those go to its one service; an action of another service matches nothing. AWS:
//! <https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html>.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::{service::Service, Endpoint, EndpointType, Policy};

/// The policy as JSON: the document written in HCL, or the JSON text parsed.
pub fn document(policy: &Policy) -> Result<Cow<'_, Value>, serde_json::Error> {
    match policy {
        Policy::Document(value) => Ok(Cow::Borrowed(value)),
        Policy::Json(text) => serde_json::from_str(text).map(Cow::Owned),
    }
}

/// The statements of a document with the shape of a policy (an object whose
/// `Statement` is one statement object or a list of them); `None` otherwise (V700).
pub fn statements(doc: &Value) -> Option<Vec<&Map<String, Value>>> {
    match doc.as_object()?.get("Statement")? {
        Value::Object(one) => Some(vec![one]),
        Value::Array(items) => items.iter().map(Value::as_object).collect(),
        _ => None,
    }
}

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

/// The IAM prefix of the endpoint service `short` (its catalogue name), as messages
/// show it: `s3`, `ecr` for `ecr.dkr`, `cloudwatch` for `monitoring`.
pub fn own_prefix(short: &str) -> &str {
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
/// `short`. Besides the known exceptions, the part of the name before the first `.` or
/// `-` and the name without `-fips` count, so that an unlisted variant is not taken
/// for another service by mistake.
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
pub fn actions(statement: &Map<String, Value>) -> impl Iterator<Item = &str> {
    ["Action", "NotAction"]
        .into_iter()
        .filter_map(|key| statement.get(key))
        .flat_map(|value| match value {
            Value::String(one) => vec![one.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        })
}

/// Whether `action` names another service than `short`. `*` and prefixes with
/// wildcards match anything, so they are never foreign.
pub fn is_foreign(short: &str, action: &str) -> bool {
    let Some((prefix, _)) = action.split_once(':') else {
        return false;
    };
    let prefix = prefix.trim().to_ascii_lowercase();
    !(prefix.is_empty() || prefix.contains(['*', '?']) || prefix_belongs(short, &prefix))
}

/// Why a policy allows nothing of its endpoint's service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowsNothing {
    /// No statement has `"Effect": "Allow"`: everything is denied, whatever the service.
    NoAllow,
    /// Every `Allow` names only actions of other services than `service` (the short
    /// name): they match no request through the endpoint.
    OnlyOtherServices { service: String },
}

/// Whether the policy of `endpoint` allows no action of the endpoint's service, so that
/// AWS refuses every request through the endpoint (V706; reachability says `denied`).
///
/// Only endpoints to AWS services of the built-in catalogue that take custom policies
/// are judged: AWS applies no policy to an endpoint to an endpoint service ("When you
/// create a VPC endpoint for an endpoint service other than an AWS service, we allow
/// full access to the endpoint") nor to one whose service does not support endpoint
/// policies (V705), and for a service the catalogue does not list vpce cannot tell.
/// `None` also when there is no policy (the default allows everything), when the policy
/// does not parse or lacks the shape of a policy (V700 reports it), for gateway load
/// balancer endpoints (which take no policy: V505), and when an `Allow` statement uses
/// `NotAction` or has no readable `Action` (it allows something, or V702 reports it).
pub fn allows_nothing(endpoint: &Endpoint) -> Option<AllowsNothing> {
    let policy = &endpoint.policy.as_ref()?.value;
    if endpoint.endpoint_type.as_ref().map(|t| t.value) == Some(EndpointType::GatewayLoadBalancer) {
        return None;
    }
    let Some(Service::Aws {
        name,
        catalogue: Some(entry),
        ..
    }) = &endpoint.resolved_service
    else {
        return None;
    };
    if entry.full_access_policy_only {
        return None;
    }
    let doc = document(policy).ok()?;
    let statements = statements(&doc)?;
    let allows: Vec<&Map<String, Value>> = statements
        .into_iter()
        .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
        .collect();
    if allows.is_empty() {
        return Some(AllowsNothing::NoAllow);
    }
    let only_foreign = allows.iter().all(|statement| {
        if statement.contains_key("NotAction") {
            return false;
        }
        let mut names = actions(statement).peekable();
        names.peek().is_some() && names.all(|action| is_foreign(name, action))
    });
    only_foreign.then(|| AllowsNothing::OnlyOtherServices {
        service: name.clone(),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

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

    #[test]
    fn statement_shapes() {
        assert_eq!(
            statements(&json!({"Statement": {}})).map(|s| s.len()),
            Some(1)
        );
        assert_eq!(
            statements(&json!({"Statement": [{}, {}]})).map(|s| s.len()),
            Some(2)
        );
        for doc in [
            json!([]),
            json!({}),
            json!({"Statement": "x"}),
            json!({"Statement": [{}, 1]}),
        ] {
            assert!(statements(&doc).is_none(), "{doc}");
        }
    }

    /// The first endpoint of a VPC in eu-west-1, of `kind` to `service`, with `policy`.
    fn verdict(kind: &str, service: &str, policy: &str) -> Option<AllowsNothing> {
        let text = format!(
            "region = \"eu-west-1\"\nvpc \"main\" {{ cidr = \"10.0.0.0/16\" }}\nendpoint \"e\" {{\n  type    = \"{kind}\"\n  service = \"{service}\"\n  vpc     = vpc.main\n  policy  = {policy}\n}}\n"
        );
        let model = crate::model_of(&text);
        let (_, endpoint) = model.endpoints.iter().next().unwrap();
        allows_nothing(endpoint)
    }

    fn statement(effect: &str, action: &str) -> String {
        format!("{{ Statement = [{{ Effect = \"{effect}\", Principal = \"*\", {action}, Resource = \"*\" }}] }}")
    }

    #[test]
    fn policies_that_allow_nothing() {
        assert_eq!(
            verdict("gateway", "s3", &statement("Deny", "Action = \"s3:*\"")),
            Some(AllowsNothing::NoAllow)
        );
        assert_eq!(
            verdict(
                "interface",
                "sqs",
                &statement("Allow", "Action = [\"sns:Publish\", \"s3:GetObject\"]")
            ),
            Some(AllowsNothing::OnlyOtherServices {
                service: "sqs".into()
            })
        );
    }

    #[test]
    fn policies_that_allow_something() {
        for (kind, service, policy) in [
            (
                "interface",
                "sqs",
                statement("Allow", "Action = \"sqs:SendMessage\""),
            ),
            ("interface", "sqs", statement("Allow", "Action = \"*\"")),
            (
                "interface",
                "sqs",
                statement("Allow", "NotAction = \"sns:Publish\""),
            ),
            // AWS applies no policy to an endpoint to an endpoint service, and vpce
            // cannot tell for a service the catalogue does not list.
            (
                "interface",
                "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
                statement("Deny", "Action = \"*\""),
            ),
            (
                "interface",
                "not-in-the-catalogue",
                statement("Deny", "Action = \"*\""),
            ),
            (
                "interface",
                "not-in-the-catalogue",
                statement("Allow", "Action = \"s3:GetObject\""),
            ),
            // A gateway load balancer endpoint takes no policy (V505).
            (
                "gateway_load_balancer",
                "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
                statement("Deny", "Action = \"*\""),
            ),
            // Not a policy (V700).
            ("interface", "sqs", "\"{not json\"".to_string()),
        ] {
            assert_eq!(
                verdict(kind, service, &policy),
                None,
                "{kind} {service} {policy}"
            );
        }
    }
}
