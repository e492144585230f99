use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V703: SCAFFOLD, not implemented yet. action of another service (`dynamodb:*` on an S3 endpoint)
pub struct PolicyForeignAction;

impl Rule for PolicyForeignAction {
    fn code(&self) -> Code {
        Code::PolicyForeignAction
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
