use std::collections::BTreeMap;

use vpce_diagnostics::{Code, Diagnostic, Span};
use vpce_model::{Id, Vpc};

use super::{and_list, interface_endpoints, lacks_private_dns_name, private_dns};
use crate::{Rule, RuleCx};

/// V402: an interface endpoint with private DNS in a VPC whose `dns_support` or
/// `dns_hostnames` is off.
///
/// Private DNS is a private hosted zone in the VPC, which AWS only creates when both VPC
/// attributes are on: "Enabling private DNS requires both enableDnsSupport and
/// enableDnsHostnames VPC attributes set to true for vpc-..." (AWS-FACTS §3.3 C7).
/// `dns_hostnames` is off by default for every VPC but the account's default VPC.
///
/// Private DNS is on when `private_dns = true`, or when it is not written and the
/// service is an AWS service (the language's default). For an existing VPC (`id`) only
/// attributes written as `false` count: vpce cannot see the VPC's real settings. An
/// existing endpoint with no `private_dns` written is not checked either, and neither
/// is a service the catalogue knows to have no private DNS name.
///
/// One diagnostic per VPC, labelling every endpoint with private DNS in it.
pub struct PrivateDnsNeedsVpcDns;

/// An endpoint with private DNS on, and where that is decided.
struct OnHere {
    name: String,
    address: String,
    span: Span,
    written: bool,
}

impl Rule for PrivateDnsNeedsVpcDns {
    fn code(&self) -> Code {
        Code::PrivateDnsNeedsVpcDns
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        // One diagnostic per VPC: the VPC's attributes are the one cause.
        let mut by_vpc: BTreeMap<Id<Vpc>, Vec<OnHere>> = BTreeMap::new();
        for (_, endpoint) in interface_endpoints(model) {
            let Some(vpc_id) = endpoint.vpc else { continue };
            let service = endpoint.resolved_service.as_ref();
            if service
                .as_ref()
                .is_some_and(|s| lacks_private_dns_name(model, s))
            {
                continue;
            }
            let Some(dns) = private_dns(endpoint, service) else {
                continue;
            };
            if dns.on {
                by_vpc.entry(vpc_id).or_default().push(OnHere {
                    name: endpoint.common.shown().to_string(),
                    address: endpoint.common.address.clone(),
                    span: dns.written.unwrap_or(endpoint.common.header),
                    written: dns.written.is_some(),
                });
            }
        }
        for (vpc_id, endpoints) in by_vpc {
            check_vpc(cx, vpc_id, &endpoints);
        }
    }
}

fn check_vpc(cx: &mut RuleCx<'_>, vpc_id: Id<Vpc>, endpoints: &[OnHere]) {
    let vpc = &cx.model.vpcs[vpc_id];
    let existing = vpc.common.is_existing();
    let written = |attr: &str| vpc.common.value_span(attr);
    // An existing VPC's attributes are only known when written; a misspelt one (V102)
    // is not known to be off.
    let off = |attr: &str, on: bool| {
        !on && (!existing || written(attr).is_some()) && !vpc.common.is_rejected(attr)
    };
    let support_off = off("dns_support", vpc.dns_support);
    let hostnames_off = off("dns_hostnames", vpc.dns_hostnames);
    if !support_off && !hostnames_off {
        return;
    }
    let vpc_address = vpc.common.address.clone();
    let (missing, fix) = match (support_off, hostnames_off) {
        (true, true) => (
            "`dns_support` and `dns_hostnames`",
            "`dns_support = true` and `dns_hostnames = true`",
        ),
        (true, false) => ("`dns_support`", "`dns_support = true`"),
        _ => ("`dns_hostnames`", "`dns_hostnames = true`"),
    };
    let names: Vec<String> = endpoints.iter().map(|e| e.name.clone()).collect();
    let (subject, on_which) = match names.len() {
        1 => (
            format!("endpoint `{}`", names[0]),
            format!("on `{}`", endpoints[0].address),
        ),
        2 => (
            format!("endpoints {}", and_list(&names)),
            "on both endpoints".to_string(),
        ),
        3 => (
            format!("endpoints {}", and_list(&names)),
            "on each endpoint".to_string(),
        ),
        n => (
            format!("endpoint `{}` and {} others", names[0], n - 1),
            "on each endpoint".to_string(),
        ),
    };
    let mut diagnostic = Diagnostic::new(
        Code::PrivateDnsNeedsVpcDns,
        format!("private DNS on {subject} needs {missing} on `{vpc_address}`"),
    );
    for endpoint in endpoints {
        let label = match (endpoint.written, endpoints.len()) {
            (true, 1) => "private DNS is on here".to_string(),
            (false, 1) => "private DNS is on by default for AWS services".to_string(),
            (true, _) => format!("private DNS is on for `{}`", endpoint.name),
            (false, _) => format!("private DNS is on by default for `{}`", endpoint.name),
        };
        diagnostic = diagnostic.with_label(endpoint.span, label);
    }
    if support_off {
        let span = vpc.common.value_span_or_header("dns_support");
        diagnostic = diagnostic.with_label(span, "`dns_support` is off here");
    }
    if hostnames_off {
        diagnostic = match written("dns_hostnames") {
            Some(span) => diagnostic.with_label(span, "`dns_hostnames` is off here"),
            None => diagnostic.with_label(vpc.common.header, "`dns_hostnames` is off by default"),
        };
    }
    cx.report(diagnostic.with_help(format!(
        "set {fix} on `{vpc_address}`, or `private_dns = false` {on_which}"
    )));
}

#[cfg(test)]
mod tests {
    use super::super::{first_of, lines_of};

    fn config(vpc_attrs: &str, endpoint_attrs: &str, service: &str) -> String {
        format!(
            r#"region = "eu-west-1"

vpc "main" {{
  cidr = "10.0.0.0/16"
{vpc_attrs}}}

subnet "a" {{
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}}

endpoint "e" {{
  type    = "interface"
  service = {service}
  vpc     = vpc.main
  subnets = [subnet.a]
{endpoint_attrs}}}
"#
        )
    }

    #[test]
    fn default_private_dns_with_default_hostnames() {
        // Private DNS by default for AWS services, hostnames off by default.
        let hcl = config("", "", "\"ssm\"");
        assert_eq!(lines_of("V402", &hcl), [13]);
        let d = first_of("V402", &hcl);
        assert_eq!(
            d.message,
            "private DNS on endpoint `e` needs `dns_hostnames` on `vpc.main`"
        );
        assert_eq!(d.labels.len(), 2);
    }

    #[test]
    fn explicit_private_dns_and_attributes() {
        let hcl = config(
            "  dns_support   = false\n  dns_hostnames = false\n",
            "  private_dns = true\n",
            "\"ssm\"",
        );
        assert_eq!(lines_of("V402", &hcl), [20]);
        let d = first_of("V402", &hcl);
        assert!(d.message.contains("`dns_support` and `dns_hostnames`"));
        assert_eq!(d.labels.len(), 3);
    }

    #[test]
    fn passing_cases() {
        for (vpc, endpoint, service) in [
            ("  dns_hostnames = true\n", "", "\"ssm\""),
            ("", "  private_dns = false\n", "\"ssm\""),
            // Endpoint services default to no private DNS.
            (
                "",
                "",
                "\"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0\"",
            ),
            // An existing VPC's attributes are unknown unless written.
            ("  id = \"vpc-0123456789abcdef0\"\n", "", "\"ssm\""),
            // The catalogue knows iot.data has no private DNS name.
            ("", "", "\"iot.data\""),
        ] {
            let hcl = config(vpc, endpoint, service);
            assert_eq!(lines_of("V402", &hcl), Vec::<usize>::new(), "{hcl}");
        }
    }

    #[test]
    fn existing_vpc_with_attribute_written_off() {
        let hcl = config(
            "  id            = \"vpc-0123456789abcdef0\"\n  dns_hostnames = false\n",
            "",
            "\"ssm\"",
        );
        assert_eq!(lines_of("V402", &hcl), [15]);
    }

    #[test]
    fn one_diagnostic_per_vpc() {
        let mut hcl = config("", "", "\"ssm\"");
        for (name, service) in [("kms", "kms"), ("logs", "logs"), ("sts", "sts")] {
            hcl.push_str(&format!(
                "\nendpoint \"{name}\" {{\n  type    = \"interface\"\n  service = \"{service}\"\n  vpc     = vpc.main\n  subnets = [subnet.a]\n}}\n"
            ));
        }
        assert_eq!(lines_of("V402", &hcl), [13]);
        let d = first_of("V402", &hcl);
        assert_eq!(
            d.message,
            "private DNS on endpoint `e` and 3 others needs `dns_hostnames` on `vpc.main`"
        );
        assert_eq!(d.labels.len(), 5);
    }
}
