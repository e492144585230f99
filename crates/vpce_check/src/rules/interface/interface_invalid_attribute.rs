use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V409: SCAFFOLD, not implemented yet. `route_tables` on an interface endpoint
pub struct InterfaceInvalidAttribute;

impl Rule for InterfaceInvalidAttribute {
    fn code(&self) -> Code {
        Code::InterfaceInvalidAttribute
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
