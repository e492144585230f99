//! A `load_balancer` block's parts the generic schema check does not type: its
//! `listener` blocks (ports and protocols, IP targets) and its security groups, which
//! only network load balancers have.

use vpce_diagnostics::{Code, Diagnostic, Span};

use super::Fields;
use crate::{
    eval::Evaluator, net::Zone, IpAddressType, Listener, ListenerProtocol, LoadBalancer,
    LoadBalancerType, Spanned,
};

/// The typed load balancer from its checked attributes and `listener` blocks.
pub(super) fn build(
    ev: &mut Evaluator<'_, '_>,
    f: &Fields<'_>,
    nested: &[(&str, Span, Fields<'_>)],
    common: crate::Common,
) -> LoadBalancer {
    let lb_type = f.enumerated("type", LoadBalancerType::from_name);
    let security_groups = f.ids("security_groups");
    if let (Some(kind), Some(span)) = (&lb_type, common.value_span("security_groups")) {
        if kind.value == LoadBalancerType::Gateway {
            ev.report(
                Diagnostic::new(
                    Code::InvalidValue,
                    "a gateway load balancer takes no `security_groups`",
                )
                .with_label(span, "only network load balancers have security groups")
                .with_label(kind.span, "a gateway load balancer")
                .with_help(
                    "remove `security_groups`; guard the appliances' own interfaces instead",
                ),
            );
        }
    }
    let listeners = nested
        .iter()
        .filter(|(keyword, _, _)| *keyword == "listener")
        .map(|(keyword, span, fields)| listener(ev, keyword, *span, fields))
        .collect();
    LoadBalancer {
        lb_type,
        subnets: f.ids("subnets"),
        azs: f
            .strings("azs")
            .into_iter()
            .map(|az| az.map(|text| Zone::parse(&text)))
            .collect(),
        ip_address_type: f.enumerated("ip_address_type", IpAddressType::from_name),
        security_groups,
        listeners,
        common,
    }
}

fn listener(ev: &mut Evaluator<'_, '_>, keyword: &str, span: Span, r: &Fields<'_>) -> Listener {
    let number = |name: &str| match r.get(name) {
        Some((crate::Value::Number(n), expr)) => Some(Spanned::new(*n, expr.span)),
        _ => None,
    };
    let targets = r
        .strings("targets")
        .into_iter()
        .filter(|target| {
            let valid = target.value.parse::<std::net::Ipv4Addr>().is_ok();
            if !valid {
                ev.report(
                    Diagnostic::new(
                        Code::InvalidValue,
                        format!("target `{}` is not an IPv4 address", target.value),
                    )
                    .with_label(target.span, "expected an address like 10.0.1.10")
                    .with_help(
                        "list the targets' private IPv4 addresses, e.g. `cidrhost(subnet.app_a.cidr, 10)`",
                    ),
                );
            }
            valid
        })
        .collect();
    Listener {
        span,
        keyword: Span::new(
            span.file,
            span.start as usize,
            span.start as usize + keyword.len(),
        ),
        port: number("port"),
        protocol: r.enumerated("protocol", ListenerProtocol::from_name),
        targets,
        target_port: number("target_port"),
        certificate_arn: r.string("certificate_arn"),
    }
}
