use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{net::Zone, Spanned};

use crate::{Rule, RuleCx};

/// V205: an Availability Zone given by name (`eu-west-1a`) rather than by id
/// (`euw1-az1`).
///
/// AWS maps AZ names to physical zones independently in each account, so
/// `eu-west-1a` in the provider's account can be another zone than `eu-west-1a` in the
/// consumer's; an endpoint service and its consumers only line up by AZ id. "An
/// Availability Zone name, such as us-east-1a, might be mapped to a different physical
/// Availability Zone in each AWS account. You can use AZ IDs to consistently identify
/// the Availability Zones for your service." (AWS-FACTS §3.2 C3,
/// <https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html>).
///
/// Checks subnets' `az` and existing load balancers' `azs`. Unknown names are left to
/// V204.
pub struct AzNameNotId;

/// `region` is the region the zone must be in; a name from another region is V204's.
fn check_az(cx: &mut RuleCx<'_>, owner: &str, az: &Spanned<Zone>, region: Option<&str>) {
    let Some(found) = az.value.az.as_ref().filter(|az| az.by_name) else {
        return;
    };
    if region.is_some_and(|r| r != found.region) {
        return;
    }
    // An example id of the same region; the name's own id differs per account.
    let example = vpce_data::region(&found.region)
        .and_then(|region| region.azs.first())
        .map_or_else(|| "euw1-az1".to_string(), |az| az.id.clone());
    cx.report(
        Diagnostic::new(
            Code::AzNameNotId,
            format!(
                "{owner} names its availability zone `{}` instead of giving its AZ id",
                az.value
            ),
        )
        .with_label(az.span, "an AZ name")
        .with_help(format!(
            "use the AZ id, like `{example}` (see `aws ec2 describe-availability-zones`): \
             AZ names map to different physical zones in each AWS account, AZ ids do not"
        )),
    );
}

impl Rule for AzNameNotId {
    fn code(&self) -> Code {
        Code::AzNameNotId
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, subnet) in model.subnets.iter() {
            if let Some(az) = &subnet.az {
                let region = subnet.vpc.and_then(|vpc| model.vpc_region(vpc));
                let owner = format!("subnet `{}`", subnet.common.shown());
                check_az(cx, &owner, az, region.map(|r| r.value.as_str()));
            }
        }
        for (_, lb) in model.load_balancers.iter() {
            for az in &lb.azs {
                let region = model.region.as_ref().map(|r| r.value.as_str());
                check_az(
                    cx,
                    &format!("load balancer `{}`", lb.common.shown()),
                    az,
                    region,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    fn subnet(az: &str) -> String {
        format!(
            r#"region = "eu-west-1"

vpc "main" {{ cidr = "10.0.0.0/16" }}

subnet "app_a" {{
  vpc  = vpc.main
  az   = "{az}"
  cidr = "10.0.1.0/24"
}}
"#
        )
    }

    #[test]
    fn az_name_warns() {
        assert_eq!(codes_and_lines(&subnet("eu-west-1a")), [("V205", 7)]);
    }

    #[test]
    fn az_id_passes() {
        assert_eq!(codes_and_lines(&subnet("euw1-az1")), []);
    }

    #[test]
    fn unknown_name_is_left_to_v204() {
        assert_eq!(codes_and_lines(&subnet("eu-west-1z")), [("V204", 7)]);
    }
}
