use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V602: SCAFFOLD, not implemented yet. `allowed_principals = ["*"]` with `acceptance_required = false`: any AWS account can connect unreviewed
pub struct OpenService;

impl Rule for OpenService {
    fn code(&self) -> Code {
        Code::OpenService
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
