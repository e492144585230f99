use std::collections::BTreeMap;

use vpce_diagnostics::{Code, Diagnostic, Span};
use vpce_model::{Endpoint, Id, Model, Vpc};

use super::{interface_endpoints, lacks_private_dns_name, private_dns, service_display};
use crate::{service::Service, Rule, RuleCx};

/// V403: two interface endpoints of one VPC with private DNS for one service.
///
/// Private DNS makes the service's own name resolve to the endpoint inside the VPC, and
/// one VPC can hold that name only once. AWS refuses the second endpoint: "private-dns-
/// enabled cannot be set because there is already a conflicting DNS domain for
/// elasticloadbalancing.us-east-1.amazonaws.com in the VPC vpc-XXXXX" (AWS-FACTS §3.3
/// C6; cfn-lint E3064 checks the same).
///
/// One service means: the same full AWS service name (`ssm` and
/// `com.amazonaws.eu-west-1.ssm` are one; `s3` with `service_region = "us-east-1"` is
/// another); the same foreign endpoint service name; or, for endpoint services of this
/// configuration, the same `private_dns_name` (two services with one name conflict too;
/// a service without a name has nothing to conflict on). Private DNS follows the
/// language's defaults (on for AWS services). The diagnostic is on the later endpoint.
pub struct PrivateDnsConflict;

/// What one VPC can hold only once.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum DnsKey {
    Service(String),
    Domain(String),
}

fn dns_key(model: &Model, service: &Service) -> Option<DnsKey> {
    if lacks_private_dns_name(model, service) {
        return None;
    }
    match service {
        Service::Aws { full_name, .. } => Some(DnsKey::Service(full_name.clone())),
        Service::Foreign { name, .. } => Some(DnsKey::Service(name.clone())),
        Service::Local(id) => {
            let name = model.endpoint_services[*id].private_dns_name.as_ref()?;
            Some(DnsKey::Domain(
                name.value.trim_end_matches('.').to_ascii_lowercase(),
            ))
        }
    }
}

/// Where an endpoint's private DNS is decided: `private_dns`, or its header.
fn dns_span(endpoint: &Endpoint, written: Option<Span>) -> Span {
    written.unwrap_or(endpoint.common.header)
}

impl Rule for PrivateDnsConflict {
    fn code(&self) -> Code {
        Code::PrivateDnsConflict
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let mut first: BTreeMap<(Id<Vpc>, DnsKey), (Id<Endpoint>, Span)> = BTreeMap::new();
        for (id, endpoint) in interface_endpoints(model) {
            let Some(vpc) = endpoint.vpc else { continue };
            let Some(service) = endpoint.resolved_service.as_ref() else {
                continue;
            };
            let Some(dns) = private_dns(endpoint, Some(service)) else {
                continue;
            };
            if !dns.on {
                continue;
            }
            let Some(key) = dns_key(model, service) else {
                continue;
            };
            let span = dns_span(endpoint, dns.written);
            let what = match &key {
                DnsKey::Service(_) => format!("`{}`", full_name(model, service)),
                DnsKey::Domain(domain) => format!("`{domain}`"),
            };
            let Some((other_id, other_span)) = first.get(&(vpc, key.clone())) else {
                first.insert((vpc, key), (id, span));
                continue;
            };
            let other = &model.endpoints[*other_id].common.shown();
            let name = &endpoint.common.shown();
            let vpc_address = &model.vpcs[vpc].common.address;
            let (other_address, address) = (
                &model.endpoints[*other_id].common.address,
                &endpoint.common.address,
            );
            let label = if dns.written.is_some() {
                "private DNS is on here…".to_string()
            } else {
                "private DNS is on by default here…".to_string()
            };
            cx.report(
                Diagnostic::new(
                    Code::PrivateDnsConflict,
                    format!(
                        "endpoints `{other}` and `{name}` both have private DNS for {what} in `{vpc_address}`"
                    ),
                )
                .with_label(span, label)
                .with_label(*other_span, format!("…and on `{other_address}` here"))
                .with_help(format!(
                    "set `private_dns = false` on `{address}`, or remove it: one endpoint with private DNS serves the whole VPC"
                )),
            );
        }
    }
}

/// The name AWS's error would show: the full service name of an AWS service, the
/// endpoint service's reference otherwise.
fn full_name(model: &Model, service: &Service) -> String {
    match service {
        Service::Aws { full_name, .. } => full_name.clone(),
        other => service_display(model, other),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{first_of, lines_of, BASE};

    fn endpoint(name: &str, service: &str, extra: &str) -> String {
        format!(
            r#"endpoint "{name}" {{
  type            = "interface"
  service         = {service}
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.b]
  security_groups = [security_group.endpoints]
{extra}}}

"#
        )
    }

    #[test]
    fn two_endpoints_for_one_service() {
        let hcl = format!(
            "{BASE}{}{}{}",
            endpoint("ssm", "\"ssm\"", ""),
            endpoint(
                "ssm_again",
                "\"com.amazonaws.eu-west-1.ssm\"",
                "  private_dns     = true\n"
            ),
            endpoint("ssm_third", "\"ssm\"", ""),
        );
        assert_eq!(lines_of("V403", &hcl), [47, 50]);
        let d = first_of("V403", &hcl);
        assert_eq!(
            d.message,
            "endpoints `ssm` and `ssm_again` both have private DNS for `com.amazonaws.eu-west-1.ssm` in `vpc.main`"
        );
    }

    #[test]
    fn private_dns_off_other_regions_and_other_vpcs_pass() {
        let hcl = format!(
            r#"{BASE}{}{}{}vpc "other" {{
  cidr          = "10.1.0.0/16"
  dns_hostnames = true
}}
"#,
            endpoint("s3", "\"s3\"", ""),
            endpoint("s3_inbound", "\"s3\"", "  private_dns     = false\n"),
            endpoint("s3_us", "\"s3\"", "  service_region  = \"us-east-1\"\n"),
        );
        assert_eq!(lines_of("V403", &hcl), Vec::<usize>::new());
    }

    #[test]
    fn local_services_conflict_by_private_dns_name() {
        let hcl = format!(
            r#"{BASE}load_balancer "api" {{
  type    = "network"
  subnets = [subnet.a, subnet.b]
}}

endpoint_service "api" {{
  load_balancers   = [load_balancer.api]
  private_dns_name = "api.example.com"
}}

endpoint_service "api_v2" {{
  load_balancers   = [load_balancer.api]
  private_dns_name = "API.example.com"
}}

endpoint_service "nameless" {{
  load_balancers = [load_balancer.api]
}}

{}{}{}{}"#,
            endpoint("api", "endpoint_service.api", "  private_dns     = true\n"),
            endpoint(
                "api_v2",
                "endpoint_service.api_v2",
                "  private_dns     = true\n"
            ),
            endpoint(
                "nameless",
                "endpoint_service.nameless",
                "  private_dns     = true\n"
            ),
            endpoint(
                "nameless_2",
                "endpoint_service.nameless",
                "  private_dns     = true\n"
            ),
        );
        assert_eq!(lines_of("V403", &hcl), [67]);
        assert!(first_of("V403", &hcl).message.contains("`api.example.com`"));
    }
}
