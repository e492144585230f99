use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V500: SCAFFOLD, not implemented yet. gateway load balancer endpoint without exactly one subnet
pub struct GwlbOneSubnet;

impl Rule for GwlbOneSubnet {
    fn code(&self) -> Code {
        Code::GwlbOneSubnet
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
