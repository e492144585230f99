use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V403: SCAFFOLD, not implemented yet. two endpoints with private DNS for one service in one VPC
pub struct PrivateDnsConflict;

impl Rule for PrivateDnsConflict {
    fn code(&self) -> Code {
        Code::PrivateDnsConflict
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
