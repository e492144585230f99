use ipnet::IpNet;
use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{
    net::{Cidr, CidrError},
    Spanned,
};

use crate::{Rule, RuleCx};

/// V200: a CIDR that does not parse, or has host bits set (`10.0.0.1/16`).
pub struct InvalidCidr;

/// Reports a block the model's parser refused, with what it would be when only host
/// bits are wrong.
fn check(cx: &mut RuleCx<'_>, cidr: &Spanned<Cidr>) {
    let text = cidr.value.as_str();
    match cidr.value.parsed {
        Ok(_) => {}
        Err(CidrError::HostBits(IpNet::V4(net))) => cx.report(
            Diagnostic::new(Code::InvalidCidr, format!("`{text}` has host bits set"))
                .with_label(
                    cidr.span,
                    format!("the network address of this block is {}", net.network()),
                )
                .with_help(format!("write `{net}`")),
        ),
        Err(CidrError::HostBits(net)) => cx.report(
            Diagnostic::new(Code::InvalidCidr, format!("`{text}` has host bits set"))
                .with_label(cidr.span, "host bits set")
                .with_help(format!("write `{net}`")),
        ),
        // Security group rules and routes may name IPv6 blocks.
        Err(CidrError::NotACidr) if text.contains(':') => cx.report(not_a_cidr(
            cidr,
            "an IPv6 CIDR block like `2001:db8:1234:1a00::/64`, or `auto`",
        )),
        Err(CidrError::NotACidr) => {
            cx.report(not_a_cidr(cidr, "an IPv4 CIDR block like `10.0.0.0/16`"))
        }
    }
}

fn not_a_cidr(cidr: &Spanned<Cidr>, expected: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidCidr,
        format!("`{}` is not a CIDR block", cidr.value),
    )
    .with_label(cidr.span, "not a CIDR block")
    .with_help(format!("write {expected}"))
}

impl Rule for InvalidCidr {
    fn code(&self) -> Code {
        Code::InvalidCidr
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let v4 = model
            .vpcs
            .iter()
            .filter_map(|(_, v)| v.cidr.as_ref())
            .chain(model.subnets.iter().filter_map(|(_, s)| s.cidr.as_ref()))
            .chain(
                model
                    .route_tables
                    .iter()
                    .flat_map(|(_, t)| t.routes.iter().filter_map(|r| r.destination.as_ref())),
            )
            .chain(model.security_groups.iter().flat_map(|(_, g)| {
                g.ingress
                    .iter()
                    .chain(&g.egress)
                    .flat_map(|rule| rule.cidrs.iter())
            }))
            .chain(
                model
                    .remote_networks
                    .iter()
                    .flat_map(|(_, r)| r.cidrs.iter()),
            );
        for cidr in v4 {
            check(cx, cidr);
        }
        for (_, subnet) in model.subnets.iter() {
            if let Some(cidr) = subnet.ipv6_cidr.as_ref().filter(|c| c.as_str() != "auto") {
                check(cx, cidr);
            }
        }
    }
}
