use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V700: SCAFFOLD, not implemented yet. not a JSON object with `Statement` (list or object)
pub struct PolicyInvalid;

impl Rule for PolicyInvalid {
    fn code(&self) -> Code {
        Code::PolicyInvalid
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
