use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V702: SCAFFOLD, not implemented yet. statement without `Effect` in Allow/Deny, or without `Action`/`NotAction`, or unknown keys
pub struct PolicyStatementInvalid;

impl Rule for PolicyStatementInvalid {
    fn code(&self) -> Code {
        Code::PolicyStatementInvalid
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
