use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V801: SCAFFOLD, not implemented yet. the VPC has subnets in AZs where the interface endpoint has no ENI (cross-AZ traffic, lost on AZ failure)
pub struct EndpointAzGap;

impl Rule for EndpointAzGap {
    fn code(&self) -> Code {
        Code::EndpointAzGap
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
