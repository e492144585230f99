use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V304: SCAFFOLD, not implemented yet. gateway endpoint with no route tables has no effect
pub struct GatewayNoRouteTables;

impl Rule for GatewayNoRouteTables {
    fn code(&self) -> Code {
        Code::GatewayNoRouteTables
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
