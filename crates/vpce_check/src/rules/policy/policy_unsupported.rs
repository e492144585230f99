use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V705: SCAFFOLD, not implemented yet. a custom policy on a service that accepts only the full-access policy (e.g. EKS), or on a GWLB endpoint
pub struct PolicyUnsupported;

impl Rule for PolicyUnsupported {
    fn code(&self) -> Code {
        Code::PolicyUnsupported
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
