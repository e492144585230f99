use vpce_diagnostics::Code;

use crate::{Rule, RuleCx};

/// V402: SCAFFOLD, not implemented yet. `private_dns = true` while the VPC lacks `dns_support` or `dns_hostnames`
pub struct PrivateDnsNeedsVpcDns;

impl Rule for PrivateDnsNeedsVpcDns {
    fn code(&self) -> Code {
        Code::PrivateDnsNeedsVpcDns
    }

    fn check(&self, _cx: &mut RuleCx<'_>) {}
}
