use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V601: SCAFFOLD, not implemented yet. allowed principal is not `*` nor an IAM ARN
pub struct InvalidPrincipal;

impl Rule for InvalidPrincipal {
    fn code(&self) -> Code {
        Code::InvalidPrincipal
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
