use vpce_diagnostics::{Code, Diagnostic};

use super::address;
use crate::{Rule, RuleCx};

/// V601: an `allowed_principals` entry that is neither `*` nor the ARN of an IAM
/// principal.
///
/// AWS takes "the Amazon Resource Names (ARN) of one or more principals (for example,
/// users, IAM roles, and AWS accounts)", or `*` for everyone
/// (`AWS::EC2::VPCEndpointServicePermissions.AllowedPrincipals`, AWS-FACTS §1.3). vpce
/// accepts `*` and `arn:PARTITION:iam::ACCOUNT:root`, `...:role/PATH/NAME` and
/// `...:user/PATH/NAME`, with a 12-digit account and the partition `aws`, `aws-cn` or
/// `aws-us-gov`. A bare account id, an STS session ARN or an IAM group is refused, each
/// with a help that says what to write instead.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html>.
pub struct InvalidPrincipal;

const PARTITIONS: &[&str] = &["aws", "aws-cn", "aws-us-gov"];

fn is_account(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// An IAM name with an optional path: `name`, `path/to/name` (characters IAM allows in
/// role and user names and paths).
fn is_iam_name(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('/')
        && !text.ends_with('/')
        && !text.contains("//")
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-/".contains(&b))
}

/// What is wrong with a principal, or `None` when it is valid: the label and the help.
fn problem(text: &str) -> Option<(&'static str, String)> {
    const EXAMPLE: &str =
        "use `*` or an ARN such as `arn:aws:iam::123456789012:root` (an account), `...:role/NAME` or `...:user/NAME`";
    let generic = || Some(("not `*` or an IAM principal ARN", EXAMPLE.to_string()));
    if text == "*" {
        return None;
    }
    if text.trim() != text {
        return Some((
            "spaces around the value",
            format!("remove the spaces: `{}`", text.trim()),
        ));
    }
    if is_account(text) {
        return Some((
            "an account id, not an ARN",
            format!("write the account as an ARN: `arn:aws:iam::{text}:root`"),
        ));
    }
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts[..] else {
        return generic();
    };
    if arn != "arn" || !PARTITIONS.contains(&partition) {
        return generic();
    }
    if service == "sts" {
        if let Some(role) = resource
            .strip_prefix("assumed-role/")
            .and_then(|r| r.split('/').next())
            .filter(|role| !role.is_empty())
        {
            return Some((
                "an STS session, not an IAM principal",
                format!("use the role's ARN: `arn:{partition}:iam::{account}:role/{role}`"),
            ));
        }
        return generic();
    }
    if service != "iam" || !region.is_empty() {
        return generic();
    }
    if !is_account(account) {
        return Some((
            "the account id is not 12 digits",
            format!("write the 12-digit account id in place of `{account}`"),
        ));
    }
    if resource == "root" {
        return None;
    }
    if let Some(name) = resource
        .strip_prefix("role/")
        .or_else(|| resource.strip_prefix("user/"))
    {
        return if is_iam_name(name) { None } else { generic() };
    }
    if resource.starts_with("group/") {
        return Some((
            "an IAM group, which cannot be a principal",
            format!(
                "list the group's users, or the account: `arn:{partition}:iam::{account}:root`"
            ),
        ));
    }
    generic()
}

impl Rule for InvalidPrincipal {
    fn code(&self) -> Code {
        Code::InvalidPrincipal
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (id, service) in model.endpoint_services.iter() {
            for principal in &service.allowed_principals {
                let Some((label, help)) = problem(&principal.value) else {
                    continue;
                };
                cx.report(
                    Diagnostic::new(
                        Code::InvalidPrincipal,
                        format!(
                            "allowed principal `{}` of `{}` is not `*` or an IAM principal ARN",
                            principal.value,
                            address(model, id)
                        ),
                    )
                    .with_label(principal.span, label)
                    .with_help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines_of;
    use super::problem;

    #[test]
    fn valid_principals() {
        for ok in [
            "*",
            "arn:aws:iam::123456789012:root",
            "arn:aws:iam::123456789012:role/app",
            "arn:aws:iam::123456789012:role/service-role/app.v2@team",
            "arn:aws:iam::123456789012:user/alice",
            "arn:aws-cn:iam::123456789012:root",
            "arn:aws-us-gov:iam::123456789012:role/x",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn invalid_principals_with_their_fix() {
        assert_eq!(
            problem("123456789012").unwrap().1,
            "write the account as an ARN: `arn:aws:iam::123456789012:root`"
        );
        assert_eq!(
            problem("arn:aws:sts::123456789012:assumed-role/deploy/session")
                .unwrap()
                .1,
            "use the role's ARN: `arn:aws:iam::123456789012:role/deploy`"
        );
        assert!(problem("arn:aws:iam::12345:root")
            .unwrap()
            .0
            .contains("12 digits"));
        assert!(problem("arn:aws:iam::123456789012:group/ops")
            .unwrap()
            .0
            .contains("group"));
        for bad in [
            "",
            "**",
            " *",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::123456789012:role//x",
            "arn:aws:iam:eu-west-1:123456789012:root",
            "arn:aws:s3:::bucket",
            "arn:azure:iam::123456789012:root",
            "arn:aws:iam::123456789012",
            "arn:aws:iam::123456789012:rooot",
        ] {
            assert!(problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn each_bad_item_is_labelled() {
        let hcl = r#"region = "eu-west-1"

load_balancer "nlb" {
  type = "network"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/api/0123456789abcdef"
  azs  = ["euw1-az1", "euw1-az2"]
}

endpoint_service "api" {
  load_balancers = [load_balancer.nlb]
  allowed_principals = [
    "arn:aws:iam::111122223333:root",
    "444455556666",
    "arn:aws:iam::777788889999:role/consumer",
    "arn:aws:sts::777788889999:assumed-role/consumer/ci",
  ]
}
"#;
        assert_eq!(lines_of("V601", hcl), [13, 15]);
    }
}
