use vpce_diagnostics::{did_you_mean, Code, Diagnostic};
use vpce_model::Spanned;

use crate::{Rule, RuleCx};

/// V114: a region that is not a known AWS region code.
pub struct InvalidRegion;

fn check_region(cx: &mut RuleCx<'_>, region: &Spanned<String>) {
    if vpce_data::region(&region.value).is_some() {
        return;
    }
    let help = did_you_mean(
        &region.value,
        vpce_data::regions().iter().map(|r| r.code.as_str()),
    )
    .unwrap_or_else(|| "use a region code such as `eu-west-1` or `us-east-1`".into());
    cx.report(
        Diagnostic::new(
            Code::InvalidRegion,
            format!("`{}` is not an AWS region", region.value),
        )
        .with_label(region.span, "unknown region")
        .with_help(help),
    );
}

impl Rule for InvalidRegion {
    fn code(&self) -> Code {
        Code::InvalidRegion
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let regions = model
            .region
            .iter()
            .chain(model.vpcs.iter().filter_map(|(_, v)| v.region.as_ref()))
            .chain(
                model
                    .remote_networks
                    .iter()
                    .filter_map(|(_, r)| r.region.as_ref()),
            )
            .chain(
                model
                    .endpoints
                    .iter()
                    .filter_map(|(_, e)| e.service_region.as_ref()),
            );
        for region in regions {
            check_region(cx, region);
        }
    }
}
