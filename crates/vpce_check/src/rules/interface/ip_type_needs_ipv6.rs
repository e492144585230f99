use vpce_diagnostics::{Code, Diagnostic, Span};
use vpce_model::{Endpoint, IpAddressType, Model};

use super::{and_list, interface_endpoints, subnet_address};
use crate::{service::Service, Rule, RuleCx};

/// V404: an interface endpoint with `ip_address_type = "dualstack"` or `"ipv6"` whose
/// subnets cannot give it IPv6 addresses, or whose AWS service does not accept IPv6.
///
/// AWS (quoted in the CDK's `VpcEndpointIpAddressType`, AWS-FACTS §3.5 I1):
/// `dualstack` "is supported only if all selected subnets have both IPv4 and IPv6
/// address ranges and the endpoint service accepts both IPv4 and IPv6 requests";
/// `ipv6` "is supported only if all selected subnets are IPv6 only subnets and the
/// endpoint service accepts IPv6 requests".
///
/// Reported, one diagnostic per cause:
/// - `dualstack` or `ipv6` with subnets that have no `ipv6_cidr`;
/// - `ipv6` with subnets that have an IPv4 `cidr` (every subnet vpce creates has one,
///   so they are never IPv6-only);
/// - an AWS service the catalogue knows not to accept IPv6. Most rows do not know
///   (moto does not report it): those are never reported.
///
/// Endpoint services of this configuration are V604's concern (their
/// `supported_ip_address_types`). Existing subnets (`id`) are only judged on what is
/// written; subnets of another VPC (V206) are skipped.
pub struct IpTypeNeedsIpv6;

impl Rule for IpTypeNeedsIpv6 {
    fn code(&self) -> Code {
        Code::IpTypeNeedsIpv6
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint) in interface_endpoints(model) {
            let Some(ip_type) = &endpoint.ip_address_type else {
                continue;
            };
            if ip_type.value == IpAddressType::Ipv4 {
                continue;
            }
            let written = ip_type.value.as_str();
            check_subnets(cx, endpoint, written, ip_type.span);
            check_service(cx, endpoint, written, ip_type.span);
        }
    }
}

/// The endpoint's subnets in its VPC for which `pick` holds, as `(subnet.NAME, span of
/// the list item)`, each subnet once (a subnet listed twice is V401's).
fn subnets_where(
    model: &Model,
    endpoint: &Endpoint,
    pick: impl Fn(&vpce_model::Subnet) -> bool,
) -> Vec<(String, Span)> {
    let mut seen = std::collections::BTreeSet::new();
    endpoint
        .subnets
        .iter()
        .filter(|item| {
            let subnet = &model.subnets[item.value];
            subnet.vpc.is_some()
                && subnet.vpc == endpoint.vpc
                && pick(subnet)
                && seen.insert(item.value)
        })
        .map(|item| (subnet_address(model, item.value), item.span))
        .collect()
}

fn check_subnets(cx: &mut RuleCx<'_>, endpoint: &Endpoint, written: &str, span: Span) {
    let model = cx.model;
    let Some(vpc_id) = endpoint.vpc else { return };
    let vpc = &model.vpcs[vpc_id];
    let name = &endpoint.common.shown();
    let vpc_address = vpc.common.address.clone();
    // No IPv6 at all: no `ipv6_cidr`, and not an existing subnet whose block is unknown.
    let without_ipv6 = subnets_where(model, endpoint, |s| {
        s.ipv6_cidr.is_none() && !s.common.is_existing()
    });
    // IPv4 as well: not IPv6-only.
    let with_ipv4 = subnets_where(model, endpoint, |s| s.cidr.is_some());

    let (offending, message, item_label, help) = if written == IpAddressType::Ipv6.as_str()
        && !with_ipv4.is_empty()
    {
        let names: Vec<String> = with_ipv4.iter().map(|(n, _)| n.clone()).collect();
        let verb = if names.len() == 1 {
            "has an IPv4 CIDR"
        } else {
            "have IPv4 CIDRs"
        };
        let help = if without_ipv6.is_empty() {
            "use `ip_address_type = \"dualstack\"`: vpce subnets always have an IPv4 CIDR, so none is IPv6-only".to_string()
        } else {
            dualstack_help(vpc.ipv6, &vpc_address)
        };
        let message = format!(
            "endpoint `{name}` is `ipv6`, which needs IPv6-only subnets, but {} {verb}",
            and_list(&names)
        );
        (with_ipv4, message, "has an IPv4 CIDR", help)
    } else if !without_ipv6.is_empty() {
        let names: Vec<String> = without_ipv6.iter().map(|(n, _)| n.clone()).collect();
        let verb = if names.len() == 1 { "has" } else { "have" };
        let help = if written == IpAddressType::Ipv6.as_str() {
            dualstack_help(vpc.ipv6, &vpc_address)
        } else if vpc.ipv6 {
            "give each of these subnets an `ipv6_cidr` (`\"auto\"` picks one), or use `ip_address_type = \"ipv4\"`".to_string()
        } else {
            format!("set `ipv6 = true` on `{vpc_address}` and give each subnet an `ipv6_cidr` (`\"auto\"` picks one), or use `ip_address_type = \"ipv4\"`")
        };
        let message = format!(
            "endpoint `{name}` is `{written}` but {} {verb} no IPv6 CIDR",
            and_list(&names)
        );
        (without_ipv6, message, "has no IPv6 CIDR", help)
    } else {
        return;
    };
    let mut diagnostic = Diagnostic::new(Code::IpTypeNeedsIpv6, message).with_label(
        span,
        if written == IpAddressType::Ipv6.as_str() {
            "IPv6 addresses only, from IPv6-only subnets"
        } else {
            "IPv4 and IPv6 addresses, from every subnet"
        },
    );
    for (_, item) in offending {
        diagnostic = diagnostic.with_label(item, item_label);
    }
    cx.report(diagnostic.with_help(help));
}

fn dualstack_help(vpc_has_ipv6: bool, vpc_address: &str) -> String {
    if vpc_has_ipv6 {
        "use `ip_address_type = \"dualstack\"` and give every subnet an `ipv6_cidr` (`\"auto\"` picks one)".to_string()
    } else {
        format!("use `ip_address_type = \"dualstack\"`, with `ipv6 = true` on `{vpc_address}` and an `ipv6_cidr` on every subnet")
    }
}

fn check_service(cx: &mut RuleCx<'_>, endpoint: &Endpoint, written: &str, span: Span) {
    let Some(Service::Aws {
        name,
        catalogue: Some(entry),
        ..
    }) = endpoint.resolved_service.as_ref()
    else {
        return;
    };
    if !ipv6_refused(entry) {
        return;
    }
    let mut diagnostic = Diagnostic::new(
        Code::IpTypeNeedsIpv6,
        format!(
            "`{name}` does not accept IPv6, so endpoint `{}` cannot be `{written}`",
            endpoint.common.shown()
        ),
    )
    .with_label(span, format!("`{name}` is reachable over IPv4 only"));
    if let Some(service_span) = endpoint.service.as_ref().map(|s| s.span) {
        diagnostic = diagnostic.with_label(service_span, format!("`{name}` here"));
    }
    cx.report(diagnostic.with_help("use `ip_address_type = \"ipv4\"`"));
}

/// Whether the catalogue knows the service refuses IPv6 (not merely lacks the fact).
fn ipv6_refused(entry: &vpce_data::Service) -> bool {
    entry.ipv6_known && !entry.ipv6
}

#[cfg(test)]
mod tests {
    use super::super::{first_of, lines_of};

    fn config(vpc_attrs: &str, subnet_b_attrs: &str, ip_type: &str) -> String {
        format!(
            r#"region = "eu-west-1"

vpc "main" {{
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
{vpc_attrs}}}

subnet "a" {{
  vpc       = vpc.main
  az        = "euw1-az1"
  cidr      = "10.0.1.0/24"
  ipv6_cidr = "auto"
}}

subnet "b" {{
  vpc  = vpc.main
  az   = "euw1-az2"
  cidr = "10.0.2.0/24"
{subnet_b_attrs}}}

endpoint "sts" {{
  type            = "interface"
  service         = "sts"
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.b]
  ip_address_type = "{ip_type}"
}}
"#
        )
    }

    #[test]
    fn dualstack_with_a_subnet_without_ipv6() {
        let hcl = config("  ipv6          = true\n", "", "dualstack");
        assert_eq!(lines_of("V404", &hcl), [27]);
        let d = first_of("V404", &hcl);
        assert_eq!(
            d.message,
            "endpoint `sts` is `dualstack` but `subnet.b` has no IPv6 CIDR"
        );
        assert_eq!(d.labels.len(), 2);
    }

    #[test]
    fn ipv6_needs_ipv6_only_subnets() {
        let hcl = config(
            "  ipv6          = true\n",
            "  ipv6_cidr = \"auto\"\n",
            "ipv6",
        );
        assert_eq!(lines_of("V404", &hcl), [28]);
        assert!(first_of("V404", &hcl)
            .message
            .contains("needs IPv6-only subnets, but `subnet.a` and `subnet.b` have IPv4 CIDRs"));
    }

    #[test]
    fn dualstack_with_ipv6_everywhere_and_ipv4_pass() {
        let hcl = config(
            "  ipv6          = true\n",
            "  ipv6_cidr = \"auto\"\n",
            "dualstack",
        );
        assert_eq!(lines_of("V404", &hcl), Vec::<usize>::new());
        let hcl = config("", "", "ipv4");
        assert_eq!(lines_of("V404", &hcl), Vec::<usize>::new());
    }

    #[test]
    fn only_known_refusals_count() {
        let mut entry = vpce_data::service("ssm").unwrap().clone();
        assert!(!super::ipv6_refused(&entry), "unknown is not a refusal");
        entry.ipv6_known = true;
        assert!(super::ipv6_refused(&entry));
        entry.ipv6 = true;
        assert!(!super::ipv6_refused(&entry));
    }
}
