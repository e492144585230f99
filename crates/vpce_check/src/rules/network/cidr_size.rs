use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{net::Cidr, Spanned};

use crate::{Rule, RuleCx};

/// V201: VPC and subnet IPv4 blocks must be /16 to /28.
pub struct CidrSize;

fn check(cx: &mut RuleCx<'_>, what: &str, cidr: &Spanned<Cidr>) {
    let Some(net) = cidr.value.v4() else {
        return;
    };
    let len = net.prefix_len();
    if (16..=28).contains(&len) {
        return;
    }
    let (label, help) = if len < 16 {
        (
            "larger than /16",
            format!("split it: a {what} can be at most a /16 (65,536 addresses)"),
        )
    } else {
        (
            "smaller than /28",
            format!("use a /28 or larger: a {what} needs at least 16 addresses"),
        )
    };
    cx.report(
        Diagnostic::new(
            Code::CidrSize,
            format!("a {what} CIDR must be /16 to /28, found /{len}"),
        )
        .with_label(cidr.span, label)
        .with_help(help),
    );
}

impl Rule for CidrSize {
    fn code(&self) -> Code {
        Code::CidrSize
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for cidr in model.vpcs.iter().filter_map(|(_, v)| v.cidr.as_ref()) {
            check(cx, "VPC", cidr);
        }
        for cidr in model.subnets.iter().filter_map(|(_, s)| s.cidr.as_ref()) {
            check(cx, "subnet", cidr);
        }
    }
}
