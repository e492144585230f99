use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V405: SCAFFOLD, not implemented yet. service has no interface endpoint in the region (did-you-mean over the built-in catalogue)
pub struct UnknownService;

impl Rule for UnknownService {
    fn code(&self) -> Code {
        Code::UnknownService
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
