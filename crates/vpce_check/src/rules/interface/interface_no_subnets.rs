use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V400: SCAFFOLD, not implemented yet. interface endpoint without subnets
pub struct InterfaceNoSubnets;

impl Rule for InterfaceNoSubnets {
    fn code(&self) -> Code {
        Code::InterfaceNoSubnets
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
