use vpce_diagnostics::{did_you_mean, Code, Diagnostic};
use vpce_model::{EndpointService, Model};

use super::{address, load_balancer_azs};
use crate::{Rule, RuleCx};

/// V606: a `supported_regions` entry of an endpoint service that is not an AWS region,
/// or a region of another partition than the service's.
///
/// `supported_regions` lists "the Regions from which service consumers can access the
/// service" (`AWS::EC2::VPCEndpointService.SupportedRegions`, cross-Region PrivateLink,
/// AWS-FACTS §1.2 and §3.6 S6), by region code. An unknown code is reported with a
/// did-you-mean over the regions vpce knows. Cross-region access never crosses a
/// partition (`aws`, `aws-cn`, `aws-us-gov`), so a region of another partition than the
/// service's own region cannot be served either; the service's region is where its load
/// balancers run, else the top-level `region`.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html#endpoint-service-cross-region>.
pub struct ServiceRegions;

/// The region an endpoint service is in: its load balancers', else the top-level one.
fn home_region(model: &Model, service: &EndpointService) -> Option<&'static vpce_data::Region> {
    let from_lbs = service.load_balancers.iter().find_map(|item| {
        let azs = load_balancer_azs(model, &model.load_balancers[item.value])?;
        Some(azs.first()?.region.clone())
    });
    let code = from_lbs.or_else(|| model.region.as_ref().map(|r| r.value.clone()))?;
    vpce_data::region(&code)
}

impl Rule for ServiceRegions {
    fn code(&self) -> Code {
        Code::ServiceRegions
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (id, service) in model.endpoint_services.iter() {
            let home = home_region(model, service);
            for region in &service.supported_regions {
                let diagnostic = match vpce_data::region(&region.value) {
                    None => {
                        let help = did_you_mean(
                            &region.value,
                            vpce_data::regions().iter().map(|r| r.code.as_str()),
                        )
                        .unwrap_or_else(|| {
                            "use region codes such as `us-east-1` or `eu-west-1`".into()
                        });
                        Diagnostic::new(
                            Code::ServiceRegions,
                            format!(
                                "supported region `{}` of `{}` is not an AWS region",
                                region.value,
                                address(model, id)
                            ),
                        )
                        .with_label(region.span, "unknown region")
                        .with_help(help)
                    }
                    Some(known) => {
                        let Some(home) = home.filter(|h| h.partition != known.partition) else {
                            continue;
                        };
                        Diagnostic::new(
                            Code::ServiceRegions,
                            format!(
                                "supported region `{}` of `{}` is in another partition than the service",
                                known.code,
                                address(model, id),
                            ),
                        )
                        .with_label(
                            region.span,
                            format!(
                                "in `{}`, while the service is in `{}` (`{}`)",
                                known.partition, home.code, home.partition
                            ),
                        )
                        .with_help(format!(
                            "remove `{}`: cross-region access stays within a partition",
                            known.code
                        ))
                    }
                };
                cx.report(diagnostic);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines_of;
    use crate::testing::diagnostics_of;

    fn service(regions: &str) -> String {
        format!(
            r#"region = "eu-west-1"

load_balancer "nlb" {{
  type = "network"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/api/0123456789abcdef"
  azs  = ["euw1-az1", "euw1-az2"]
}}

endpoint_service "api" {{
  load_balancers    = [load_balancer.nlb]
  supported_regions = [
{regions}  ]
}}
"#
        )
    }

    #[test]
    fn unknown_region_with_a_suggestion() {
        let hcl = service("    \"us-east-1\",\n    \"eu-wset-2\",\n");
        assert_eq!(lines_of("V606", &hcl), [13]);
        let outcome = diagnostics_of(&hcl);
        let diagnostic = outcome.iter().find(|d| d.code.as_str() == "V606").unwrap();
        assert_eq!(
            diagnostic.help.as_deref(),
            Some("did you mean `eu-west-2`?")
        );
    }

    #[test]
    fn region_of_another_partition() {
        let hcl = service("    \"cn-north-1\",\n");
        assert_eq!(lines_of("V606", &hcl), [12]);
    }

    #[test]
    fn known_regions_pass() {
        let hcl = service("    \"us-east-1\",\n    \"eu-central-1\",\n");
        assert_eq!(lines_of("V606", &hcl), Vec::<usize>::new());
    }
}
