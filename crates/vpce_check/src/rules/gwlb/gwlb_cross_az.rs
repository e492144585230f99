use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V506: SCAFFOLD, not implemented yet. subnets routed through a GWLB endpoint in another AZ (one endpoint per AZ keeps traffic in-zone and survives an AZ failure)
pub struct GwlbCrossAz;

impl Rule for GwlbCrossAz {
    fn code(&self) -> Code {
        Code::GwlbCrossAz
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
