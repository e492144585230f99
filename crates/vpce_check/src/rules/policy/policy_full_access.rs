use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V704: SCAFFOLD, not implemented yet. `*` principal with `*` action and resource: the default policy, written out
pub struct PolicyFullAccess;

impl Rule for PolicyFullAccess {
    fn code(&self) -> Code {
        Code::PolicyFullAccess
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
