use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V501: SCAFFOLD, not implemented yet. its service is not backed by gateway load balancers (or a GWLB service used by an interface endpoint)
pub struct GwlbServiceType;

impl Rule for GwlbServiceType {
    fn code(&self) -> Code {
        Code::GwlbServiceType
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
