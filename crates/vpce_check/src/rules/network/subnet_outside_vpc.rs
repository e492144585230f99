use vpce_diagnostics::{Code, Diagnostic};

use crate::{Rule, RuleCx};

/// V202: a subnet's CIDR must lie inside its VPC's CIDR.
pub struct SubnetOutsideVpc;

impl Rule for SubnetOutsideVpc {
    fn code(&self) -> Code {
        Code::SubnetOutsideVpc
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, subnet) in model.subnets.iter() {
            let Some(vpc_id) = subnet.vpc else { continue };
            let vpc = &model.vpcs[vpc_id];
            let (Some(cidr), Some(vpc_cidr)) = (&subnet.cidr, &vpc.cidr) else {
                continue;
            };
            let (Some(net), Some(vpc_net)) = (cidr.v4(), vpc_cidr.v4()) else {
                continue;
            };
            if vpc_net.contains(&net) {
                continue;
            }
            let diagnostic = Diagnostic::new(
                Code::SubnetOutsideVpc,
                format!(
                    "subnet `{}` ({net}) is not inside `{}` ({vpc_net})",
                    subnet.common.shown(),
                    vpc.common.address
                ),
            )
            .with_label(cidr.span, "outside the VPC's CIDR")
            .with_label(vpc_cidr.span, "the VPC's CIDR");
            cx.report(diagnostic.with_help(format!(
                "choose a block inside {vpc_net}, e.g. with `cidrsubnet({}.cidr, 8, N)`",
                vpc.common.reference()
            )));
        }
    }
}
