use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V701: SCAFFOLD, not implemented yet. longer than 20,480 characters once serialised without whitespace
pub struct PolicyTooLarge;

impl Rule for PolicyTooLarge {
    fn code(&self) -> Code {
        Code::PolicyTooLarge
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
