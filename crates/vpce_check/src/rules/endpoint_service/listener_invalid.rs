use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{
    port_number, Listener, ListenerProtocol, LoadBalancer, LoadBalancerType, GENEVE_PORT,
};

use crate::{Rule, RuleCx};

/// V610: a load balancer listener that Elastic Load Balancing or PrivateLink refuses.
///
/// - A network load balancer's listener speaks TCP, UDP, TCP_UDP or TLS on a port it
///   names; GENEVE is for gateway load balancers.
/// - A gateway load balancer has exactly one listener, GENEVE on 6081 (written as
///   nothing, or as `protocol = "GENEVE"` and `port = 6081`); its targets receive GENEVE
///   on 6081 too (Gateway Load Balancer guide, "Listeners" and "Target groups").
/// - Ports are whole numbers in 1-65535.
/// - Two listeners of one load balancer cannot share a port when their protocols
///   overlap: equal, both TCP on the wire (TCP, TCP_UDP, TLS) or both UDP (UDP,
///   TCP_UDP).
/// - A TLS listener needs `certificate_arn`, which only TLS listeners take.
/// - PrivateLink does not support network load balancers with more than 50 listeners
///   (Elastic Load Balancing guide, "Access Elastic Load Balancing using an interface
///   endpoint", Limit; AWS-FACTS §9).
///
/// Each finding is at the attribute at fault, else at the `listener` keyword; a missing
/// or extra gateway listener is at the load balancer. An existing load balancer without
/// `listener` blocks is not judged: vpce cannot see its listeners. Values the front end
/// rejected are skipped.
pub struct ListenerInvalid;

/// PrivateLink's limit on a network load balancer's listeners.
const MAX_LISTENERS_BEHIND_SERVICE: usize = 50;

impl Rule for ListenerInvalid {
    fn code(&self) -> Code {
        Code::ListenerInvalid
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let behind_service: Vec<_> = model
            .endpoint_services
            .iter()
            .flat_map(|(_, s)| s.load_balancers.iter().map(|lb| lb.value))
            .collect();
        for (id, lb) in model.load_balancers.iter() {
            let Some(kind) = lb.lb_type.as_ref().map(|t| t.value) else {
                continue;
            };
            let address = model.address(id.obj_ref());
            for listener in &lb.listeners {
                for diagnostic in listener_findings(listener, kind, &address) {
                    cx.report(diagnostic);
                }
            }
            let findings = match kind {
                // Two gateway listeners share GENEVE 6081: one finding says there are two.
                LoadBalancerType::Gateway if lb.listeners_known() => {
                    gateway_count(lb, &address).into_iter().collect()
                }
                LoadBalancerType::Gateway => Vec::new(),
                LoadBalancerType::Network => shared_ports(lb, kind, &address),
            };
            for diagnostic in findings {
                cx.report(diagnostic);
            }
            if lb.listeners.len() > MAX_LISTENERS_BEHIND_SERVICE && behind_service.contains(&id) {
                let extra = &lb.listeners[MAX_LISTENERS_BEHIND_SERVICE];
                cx.report(
                    Diagnostic::new(
                        Code::ListenerInvalid,
                        format!(
                            "`{address}` has {} listeners, more than the {MAX_LISTENERS_BEHIND_SERVICE} PrivateLink supports behind an endpoint service",
                            lb.listeners.len()
                        ),
                    )
                    .with_label(lb.common.header, format!("{} listeners", lb.listeners.len()))
                    .with_label(extra.keyword, format!("listener {} of at most {MAX_LISTENERS_BEHIND_SERVICE}", MAX_LISTENERS_BEHIND_SERVICE + 1))
                    .with_help("serve the other ports from a second load balancer behind its own endpoint service"),
                );
            }
        }
    }
}

/// `the TCP 443 listener of `load_balancer.api``, or `a listener of ...` before its
/// port and protocol are known.
fn describe(listener: &Listener, kind: LoadBalancerType, address: &str) -> String {
    match (
        listener.effective_protocol(kind),
        listener.effective_port(kind),
    ) {
        (Some(protocol), Some(port)) => {
            format!("the {} {port} listener of `{address}`", protocol.as_str())
        }
        _ => format!("a listener of `{address}`"),
    }
}

fn finding(message: String) -> Diagnostic {
    Diagnostic::new(Code::ListenerInvalid, message)
}

/// What is wrong with one listener on its own.
fn listener_findings(
    listener: &Listener,
    kind: LoadBalancerType,
    address: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (name, value) in [
        ("port", &listener.port),
        ("target_port", &listener.target_port),
    ] {
        if let Some(port) = value.as_ref().filter(|p| port_number(p.value).is_none()) {
            out.push(
                finding(format!(
                    "`{name}` of a listener of `{address}` is not a port: `{}`",
                    vpce_model::format_number(port.value)
                ))
                .with_label(port.span, "not a whole number in 1-65535")
                .with_help(format!(
                    "write a port number from 1 to 65535, e.g. `{name} = 443`"
                )),
            );
        }
    }
    match kind {
        LoadBalancerType::Network => {
            if let Some(protocol) = listener
                .protocol
                .as_ref()
                .filter(|p| p.value == ListenerProtocol::Geneve)
            {
                out.push(
                    finding(format!(
                        "a listener of network load balancer `{address}` speaks `GENEVE`, the protocol of gateway load balancers"
                    ))
                    .with_label(protocol.span, "GENEVE on a network load balancer")
                    .with_help("write `protocol = \"TCP\"`, `\"UDP\"`, `\"TCP_UDP\"` or `\"TLS\"`, or make the load balancer `type = \"gateway\"`"),
                );
            }
            let missing: Vec<&str> = [
                ("port", listener.port.is_none()),
                ("protocol", listener.protocol.is_none()),
            ]
            .into_iter()
            .filter(|(_, missing)| *missing)
            .map(|(name, _)| name)
            .collect();
            if !missing.is_empty() {
                let what = missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(" and ");
                out.push(
                    finding(format!(
                        "a listener of network load balancer `{address}` has no {what}"
                    ))
                    .with_label(listener.keyword, format!("{what} not set"))
                    .with_help("a network load balancer's listener needs both, e.g. `port = 443` and `protocol = \"TCP\"`"),
                );
            }
        }
        LoadBalancerType::Gateway => {
            if let Some(protocol) = listener
                .protocol
                .as_ref()
                .filter(|p| p.value != ListenerProtocol::Geneve)
            {
                out.push(
                    finding(format!(
                        "gateway load balancer `{address}` cannot listen on `{}`",
                        protocol.value.as_str()
                    ))
                    .with_label(protocol.span, "gateway load balancers speak GENEVE only")
                    .with_help("remove `protocol` (a gateway load balancer's listener is GENEVE on 6081), or make the load balancer `type = \"network\"`"),
                );
            }
            for (name, value) in [
                ("port", &listener.port),
                ("target_port", &listener.target_port),
            ] {
                let Some(port) = value.as_ref() else { continue };
                if port_number(port.value).is_some_and(|p| p != GENEVE_PORT) {
                    out.push(
                        finding(format!(
                            "gateway load balancer `{address}` uses GENEVE on {GENEVE_PORT} only, not `{name} = {}`",
                            vpce_model::format_number(port.value)
                        ))
                        .with_label(port.span, format!("not {GENEVE_PORT}"))
                        .with_help(format!("remove `{name}`, or write `{name} = {GENEVE_PORT}`")),
                    );
                }
            }
        }
    }
    let protocol = listener.effective_protocol(kind);
    match (&listener.certificate_arn, protocol) {
        (None, Some(ListenerProtocol::Tls)) => {
            let span = listener
                .protocol
                .as_ref()
                .map_or(listener.keyword, |p| p.span);
            out.push(
                finding(format!(
                    "{} has no `certificate_arn`",
                    describe(listener, kind, address)
                ))
                .with_label(span, "TLS needs a server certificate")
                .with_help("add `certificate_arn = \"arn:aws:acm:REGION:ACCOUNT:certificate/...\"`, or use `protocol = \"TCP\"` and terminate TLS on the targets"),
            );
        }
        (Some(arn), Some(other)) if other != ListenerProtocol::Tls => {
            out.push(
                finding(format!(
                    "{} takes no `certificate_arn`: only TLS listeners do",
                    describe(listener, kind, address)
                ))
                .with_label(
                    arn.span,
                    format!("a certificate on a {} listener", other.as_str()),
                )
                .with_help("remove `certificate_arn`, or write `protocol = \"TLS\"`"),
            );
        }
        _ => {}
    }
    out
}

/// Two listeners on one port whose protocols overlap, each reported at the later one.
fn shared_ports(lb: &LoadBalancer, kind: LoadBalancerType, address: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, later) in lb.listeners.iter().enumerate() {
        let (Some(port), Some(protocol)) =
            (later.effective_port(kind), later.effective_protocol(kind))
        else {
            continue;
        };
        let first = lb.listeners[..index].iter().find(|earlier| {
            earlier.effective_port(kind) == Some(port)
                && earlier
                    .effective_protocol(kind)
                    .is_some_and(|p| p.overlaps(protocol))
        });
        let Some(first) = first else { continue };
        let first_protocol = first.effective_protocol(kind).map_or("", |p| p.as_str());
        let span = later.port.as_ref().map_or(later.keyword, |p| p.span);
        let first_span = first.port.as_ref().map_or(first.keyword, |p| p.span);
        out.push(
            finding(format!(
                "`{address}` has two listeners on port {port}: {} and {first_protocol}",
                protocol.as_str()
            ))
            .with_label(span, format!("{} {port} here", protocol.as_str()))
            .with_label(first_span, format!("{first_protocol} {port} already listens here"))
            .with_help(if protocol == ListenerProtocol::TcpUdp || first_protocol == ListenerProtocol::TcpUdp.as_str() {
                "remove one (`TCP_UDP` already carries both TCP and UDP), or move it to another port"
            } else {
                "remove one, or move it to another port"
            }),
        );
    }
    out
}

/// A gateway load balancer with no listener, or with more than one.
fn gateway_count(lb: &LoadBalancer, address: &str) -> Option<Diagnostic> {
    match lb.listeners.as_slice() {
        [] => Some(
            finding(format!(
                "gateway load balancer `{address}` has no listener, so it forwards nothing to its appliances"
            ))
            .with_label(lb.common.header, "no `listener` block")
            .with_help("add `listener { targets = [\"10.0.3.10\"] }` with the appliances' addresses"),
        ),
        [_] => None,
        [first, second, ..] => Some(
            finding(format!(
                "gateway load balancer `{address}` has {} listeners; it takes exactly one",
                lb.listeners.len()
            ))
            .with_label(second.keyword, "a second listener")
            .with_label(first.keyword, "the first listener")
            .with_help("keep one `listener` block and list every appliance in its `targets`"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines_of;

    fn network(listeners: usize, behind_service: bool) -> String {
        let mut hcl = String::from(
            "region = \"eu-west-1\"\n\nvpc \"p\" { cidr = \"10.20.0.0/16\" }\n\nsubnet \"a\" {\n  vpc  = vpc.p\n  az   = \"euw1-az1\"\n  cidr = \"10.20.1.0/24\"\n}\n\nload_balancer \"api\" {\n  type    = \"network\"\n  subnets = [subnet.a]\n",
        );
        for port in 0..listeners {
            hcl.push_str(&format!(
                "  listener {{\n    port     = {}\n    protocol = \"TCP\"\n  }}\n",
                1000 + port
            ));
        }
        hcl.push_str("}\n");
        if behind_service {
            hcl.push_str("\nendpoint_service \"api\" {\n  load_balancers     = [load_balancer.api]\n  allowed_principals = [\"arn:aws:iam::111122223333:root\"]\n}\n");
        }
        hcl
    }

    #[test]
    fn more_than_fifty_listeners_behind_a_service() {
        assert_eq!(lines_of("V610", &network(50, true)), Vec::<usize>::new());
        // Reported at the load balancer's header (line 11).
        assert_eq!(lines_of("V610", &network(51, true)), [11]);
        // Without an endpoint service, PrivateLink's limit does not apply.
        assert_eq!(lines_of("V610", &network(51, false)), Vec::<usize>::new());
    }

    #[test]
    fn an_existing_gateway_load_balancer_without_listeners_is_not_judged() {
        let hcl = r#"region = "eu-west-1"

load_balancer "fw" {
  type = "gateway"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/fw/0123456789abcdef"
  azs  = ["euw1-az1"]
}
"#;
        assert_eq!(lines_of("V610", hcl), Vec::<usize>::new());
    }

    #[test]
    fn tcp_and_udp_share_a_port_but_tls_and_tcp_do_not() {
        let config = |first: &str, second: &str| {
            format!(
                "region = \"eu-west-1\"\nvpc \"p\" {{ cidr = \"10.20.0.0/16\" }}\nsubnet \"a\" {{\n  vpc  = vpc.p\n  az   = \"euw1-az1\"\n  cidr = \"10.20.1.0/24\"\n}}\nload_balancer \"api\" {{\n  type    = \"network\"\n  subnets = [subnet.a]\n  listener {{\n    port     = 443\n    protocol = \"{first}\"\n  }}\n  listener {{\n    port            = 443\n    protocol        = \"{second}\"\n    certificate_arn = \"arn:aws:acm:eu-west-1:111122223333:certificate/x\"\n  }}\n}}\n"
            )
        };
        // The second listener's certificate is V610 too unless it is TLS: count lines.
        assert_eq!(lines_of("V610", &config("TCP", "TLS")), [16]);
        assert_eq!(lines_of("V610", &config("UDP", "TLS")), Vec::<usize>::new());
        assert_eq!(lines_of("V610", &config("TCP_UDP", "TLS")), [16]);
    }

    #[test]
    fn a_fractional_port_is_not_a_port() {
        let hcl = network(1, false).replace("port     = 1000", "port     = 443.5");
        assert_eq!(lines_of("V610", &hcl), [15]);
    }

    /// The front end's part (V108): targets that are not IPv4 addresses, and security
    /// groups on a gateway load balancer.
    #[test]
    fn the_front_end_rejects_bad_targets_and_gateway_security_groups() {
        let hcl = r#"region = "eu-west-1"
vpc "p" { cidr = "10.20.0.0/16" }
subnet "a" {
  vpc  = vpc.p
  az   = "euw1-az1"
  cidr = "10.20.1.0/24"
}
security_group "fw" { vpc = vpc.p }
load_balancer "fw" {
  type            = "gateway"
  subnets         = [subnet.a]
  security_groups = [security_group.fw]
  listener {
    targets = ["10.20.1.10", "appliance-1"]
  }
}
"#;
        assert_eq!(lines_of("V108", hcl), [12, 14]);
        assert_eq!(lines_of("V610", hcl), Vec::<usize>::new());
    }
}
