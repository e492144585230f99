use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V302: SCAFFOLD, not implemented yet. service in another region than the VPC (gateway endpoints are same-region only)
pub struct GatewayCrossRegion;

impl Rule for GatewayCrossRegion {
    fn code(&self) -> Code {
        Code::GatewayCrossRegion
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
