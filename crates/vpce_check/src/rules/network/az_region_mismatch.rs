use vpce_diagnostics::{did_you_mean, Code, Diagnostic};
use vpce_model::{net::Zone, Spanned};

use crate::{Rule, RuleCx};

/// V204: an Availability Zone that is not in the region it is used in.
///
/// A subnet's `az` (an AZ id like `euw1-az1` or a name like `eu-west-1a`) must be a
/// zone of its VPC's region, and an existing load balancer's `azs` must be zones of the
/// top-level region; an AZ that vpce does not know at all is reported here too, with a
/// did-you-mean over the region's AZ ids. AWS rejects a subnet in a zone of another
/// region (`CreateSubnet`: "Value (…) for parameter availabilityZone is invalid").
/// Regions unknown to vpce are skipped: V114 reports them.
///
/// AWS: <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html>
/// and AWS-FACTS §3.2.
pub struct AzRegionMismatch;

/// `owner` says who uses the AZ (`subnet `app_a``); `region` is where it must be.
fn check_az(cx: &mut RuleCx<'_>, owner: &str, az: &Spanned<Zone>, region: &Spanned<String>) {
    let Some(known) = vpce_data::region(&region.value) else {
        return;
    };
    let ids = || known.azs.iter().map(|az| az.id.as_str());
    let id_list = || {
        let ids: Vec<String> = ids().map(|id| format!("`{id}`")).collect();
        ids.join(", ")
    };
    let diagnostic = match &az.value.az {
        Some(found) if found.region == known.code => return,
        Some(found) => Diagnostic::new(
            Code::AzRegionMismatch,
            format!(
                "{owner} is in `{}`, which is not in `{}`",
                az.value, known.code
            ),
        )
        .with_label(az.span, format!("an AZ of `{}`", found.region))
        .with_label(region.span, format!("the region is `{}` here", known.code))
        .with_help(format!("use an AZ id of `{}`: {}", known.code, id_list())),
        None => Diagnostic::new(
            Code::AzRegionMismatch,
            format!(
                "{owner} is in `{}`, which is not an availability zone of `{}`",
                az.value, known.code
            ),
        )
        .with_label(az.span, "unknown availability zone")
        .with_help(
            did_you_mean(&az.value, ids())
                .unwrap_or_else(|| format!("use an AZ id of `{}`: {}", known.code, id_list())),
        ),
    };
    cx.report(diagnostic);
}

impl Rule for AzRegionMismatch {
    fn code(&self) -> Code {
        Code::AzRegionMismatch
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, subnet) in model.subnets.iter() {
            let (Some(vpc), Some(az)) = (subnet.vpc, &subnet.az) else {
                continue;
            };
            let Some(region) = model.vpc_region(vpc) else {
                continue;
            };
            check_az(
                cx,
                &format!("subnet `{}`", subnet.common.shown()),
                az,
                region,
            );
        }
        // Existing load balancers name their zones; they have no VPC here, so the
        // top-level region is theirs.
        let Some(region) = &model.region else { return };
        for (_, lb) in model.load_balancers.iter() {
            for az in &lb.azs {
                let owner = format!("load balancer `{}`", lb.common.shown());
                check_az(cx, &owner, az, region);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{codes_and_lines, diagnostics_of};

    const HEAD: &str = r#"region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }
"#;

    fn subnet(az: &str) -> String {
        format!(
            r#"{HEAD}
subnet "app_a" {{
  vpc  = vpc.main
  az   = "{az}"
  cidr = "10.0.1.0/24"
}}
"#
        )
    }

    #[test]
    fn az_of_another_region() {
        assert_eq!(codes_and_lines(&subnet("use1-az1")), [("V204", 7)]);
        // A name of another region: the mismatch and the name warning.
        assert_eq!(codes_and_lines(&subnet("us-east-1a")), [("V204", 7)]);
    }

    #[test]
    fn unknown_az_suggests_an_id() {
        let outcome = diagnostics_of(&subnet("euw1-az9"));
        let codes: Vec<_> = outcome.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["V204"]);
        assert_eq!(outcome[0].help.as_deref(), Some("did you mean `euw1-az1`?"));
    }

    #[test]
    fn az_of_the_vpc_region_passes() {
        assert_eq!(codes_and_lines(&subnet("euw1-az2")), []);
    }

    #[test]
    fn vpc_region_overrides_the_top_level_one() {
        let hcl = r#"region = "eu-west-1"

vpc "main" {
  cidr   = "10.0.0.0/16"
  region = "us-east-1"
}

subnet "a" {
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}

subnet "b" {
  vpc  = vpc.main
  az   = "use1-az1"
  cidr = "10.0.2.0/24"
}
"#;
        assert_eq!(codes_and_lines(hcl), [("V204", 10)]);
    }

    #[test]
    fn existing_load_balancer_azs() {
        let hcl = r#"region = "eu-west-1"

load_balancer "fw" {
  type = "gateway"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/fw/0123456789abcdef"
  azs  = ["euw1-az1", "use1-az2"]
}
"#;
        assert_eq!(codes_and_lines(hcl), [("V204", 6)]);
    }
}
