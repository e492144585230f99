use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V505: SCAFFOLD, not implemented yet. `security_groups`, `private_dns`, `policy` or `route_tables` on a GWLB endpoint
pub struct GwlbInvalidAttribute;

impl Rule for GwlbInvalidAttribute {
    fn code(&self) -> Code {
        Code::GwlbInvalidAttribute
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
