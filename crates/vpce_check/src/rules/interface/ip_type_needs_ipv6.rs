use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V404: SCAFFOLD, not implemented yet. `dualstack`/`ipv6` while a subnet has no IPv6 CIDR, or the service does not support it
pub struct IpTypeNeedsIpv6;

impl Rule for IpTypeNeedsIpv6 {
    fn code(&self) -> Code {
        Code::IpTypeNeedsIpv6
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
