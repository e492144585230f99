use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::LoadBalancerType;

use super::{address, typed_load_balancers};
use crate::{Rule, RuleCx};

/// V605: an endpoint service's `private_dns_name` on a service backed by gateway load
/// balancers, or one that is not a valid domain name.
///
/// "Private DNS names are not supported for endpoint services that you create for
/// Gateway Load Balancer endpoints" (AWS VPC guide, private DNS names for endpoint
/// services): a GWLB endpoint is a route target and has no DNS name to answer for.
/// Otherwise the name must be a domain name: labels of 1 to 63 letters, digits and
/// hyphens that neither start nor end with a hyphen, at least two labels, at most 253
/// characters. vpce also accepts a leading `*.` wildcard label and one trailing dot;
/// whether AWS accepts a wildcard is UNCONFIRMED. Before consumers can use the name,
/// the provider must prove it owns the domain with a TXT record (AWS-FACTS §3.3 C8c).
///
/// A service whose load balancers are of both types is V600's; its name is still
/// checked as a domain.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html>.
pub struct ServicePrivateDns;

/// Why `name` is not a valid domain name, or `None` when it is one.
fn domain_problem(name: &str) -> Option<String> {
    let name = name.strip_suffix('.').unwrap_or(name);
    let rest = name.strip_prefix("*.").unwrap_or(name);
    if name.is_empty() {
        return Some("an empty name".into());
    }
    if name.len() > 253 {
        return Some(format!("{} characters, more than 253", name.len()));
    }
    let labels: Vec<&str> = rest.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Some("an empty label: two dots in a row, or a dot at the start".into());
        }
        if label.len() > 63 {
            return Some(format!(
                "the label `{label}` has {} characters, more than 63",
                label.len()
            ));
        }
        if let Some(bad) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Some(format!("the label `{label}` contains `{bad}`"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!("the label `{label}` starts or ends with a hyphen"));
        }
    }
    if labels.len() < 2 {
        return Some("a single label: a domain has at least two".into());
    }
    None
}

impl Rule for ServicePrivateDns {
    fn code(&self) -> Code {
        Code::ServicePrivateDns
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (id, service) in model.endpoint_services.iter() {
            let Some(dns) = &service.private_dns_name else {
                continue;
            };
            let typed: Vec<_> = typed_load_balancers(model, service).collect();
            let gateway_only =
                !typed.is_empty() && typed.iter().all(|(t, _)| *t == LoadBalancerType::Gateway);
            if gateway_only {
                let (_, first) = typed[0];
                cx.report(
                    Diagnostic::new(
                        Code::ServicePrivateDns,
                        format!(
                            "`{}` is served by gateway load balancers, which take no private DNS name",
                            address(model, id)
                        ),
                    )
                    .with_label(dns.span, "not supported with gateway load balancers")
                    .with_label(
                        first.span,
                        format!("`{}` is a gateway load balancer", address(model, first.value)),
                    )
                    .with_help(
                        "remove `private_dns_name`: consumers reach a gateway load balancer service through routes, not DNS",
                    ),
                );
                continue;
            }
            let Some(problem) = domain_problem(&dns.value) else {
                continue;
            };
            cx.report(
                Diagnostic::new(
                    Code::ServicePrivateDns,
                    format!(
                        "the private DNS name of `{}` is not a valid domain name",
                        address(model, id)
                    ),
                )
                .with_label(dns.span, problem)
                .with_help(
                    "use a domain you own, such as `api.example.com`: labels of letters, digits and inner hyphens, separated by dots",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines_of;
    use super::domain_problem;

    #[test]
    fn domain_names() {
        for ok in [
            "api.example.com",
            "API.Example.com",
            "a-b.c1.example.co.uk",
            "*.example.com",
            "api.example.com.",
            "xn--bcher-kva.example",
        ] {
            assert_eq!(domain_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "localhost",
            "api..example.com",
            ".example.com",
            "-api.example.com",
            "api-.example.com",
            "api_v2.example.com",
            "https://api.example.com",
            "api.*.example.com",
            "*.com.",
        ] {
            assert!(domain_problem(bad).is_some(), "{bad:?}");
        }
        let long = format!("{}.example.com", "a".repeat(64));
        assert!(domain_problem(&long).unwrap().contains("63"));
        let huge = format!("{}example.com", "abcdefghi.".repeat(25));
        assert!(domain_problem(&huge).unwrap().contains("253"));
    }

    fn service(lb_type: &str, dns: &str) -> String {
        format!(
            r#"region = "eu-west-1"

load_balancer "lb" {{
  type = "{lb_type}"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/x/lb/0123456789abcdef"
  azs  = ["euw1-az1", "euw1-az2"]
}}

endpoint_service "svc" {{
  load_balancers   = [load_balancer.lb]
  private_dns_name = "{dns}"
}}
"#
        )
    }

    #[test]
    fn gateway_service_with_a_name() {
        assert_eq!(
            lines_of("V605", &service("gateway", "fw.example.com")),
            [11]
        );
    }

    #[test]
    fn invalid_domain() {
        assert_eq!(lines_of("V605", &service("network", "api_example")), [11]);
    }

    #[test]
    fn network_service_with_a_domain_passes() {
        assert_eq!(
            lines_of("V605", &service("network", "api.example.com")),
            Vec::<usize>::new()
        );
    }
}
