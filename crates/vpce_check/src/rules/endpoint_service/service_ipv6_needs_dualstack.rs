use std::collections::BTreeSet;

use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::IpAddressType;

use super::address;
use crate::{Rule, RuleCx};

/// V609: an endpoint service that supports `ipv6` while one of its load balancers is
/// not `dualstack`.
///
/// An endpoint service accepts IPv6 connections only when every load balancer behind it
/// has the `dualstack` IP address type (PrivateLink guide, "IP address types" of
/// endpoint services; AWS-FACTS §3.5 I2). A load balancer's `ip_address_type` defaults
/// to `ipv4`, so a service with `supported_ip_address_types = ["ipv4", "ipv6"]` on a
/// default load balancer fails to create or update.
///
/// Reported once per load balancer, at its `ip_address_type` (or its header when not
/// written), with a label on the `ipv6` item of the first service that needs it. An
/// existing load balancer (`arn`) without `ip_address_type` is skipped: vpce cannot see
/// its type. An invalid `ip_address_type` was reported by the front end and is skipped.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html#endpoint-service-ip-address-type>.
pub struct ServiceIpv6NeedsDualstack;

impl Rule for ServiceIpv6NeedsDualstack {
    fn code(&self) -> Code {
        Code::ServiceIpv6NeedsDualstack
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let mut reported = BTreeSet::new();
        for (service_id, service) in model.endpoint_services.iter() {
            let Some(ipv6) = service
                .supported_ip_address_types
                .iter()
                .find(|t| t.value == IpAddressType::Ipv6.as_str())
            else {
                continue;
            };
            for item in &service.load_balancers {
                let lb = &model.load_balancers[item.value];
                let common = &lb.common;
                let ip = match &lb.ip_address_type {
                    Some(ip) => ip.value,
                    None if common.value_span("ip_address_type").is_some() => continue,
                    None if common.is_existing() => continue,
                    None => IpAddressType::Ipv4,
                };
                if ip == IpAddressType::Dualstack || !reported.insert(item.value) {
                    continue;
                }
                let (lb_name, service_name) =
                    (address(model, item.value), address(model, service_id));
                let default = if lb.ip_address_type.is_none() {
                    " (the default)"
                } else {
                    ""
                };
                cx.report(
                    Diagnostic::new(
                        Code::ServiceIpv6NeedsDualstack,
                        format!(
                            "`{service_name}` supports `ipv6`, but its load balancer `{lb_name}` is not `dualstack`"
                        ),
                    )
                    .with_label(
                        common.value_span_or_header("ip_address_type"),
                        format!("`{}`{default}", ip.as_str()),
                    )
                    .with_label(ipv6.span, "`ipv6` needs dualstack load balancers")
                    .with_help(format!(
                        "set `ip_address_type = \"dualstack\"` on `{lb_name}`, or remove `\"ipv6\"` from `supported_ip_address_types`"
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines_of;
    use crate::testing::first_of;

    fn config(api_ip: &str, types: &str) -> String {
        format!(
            r#"region = "eu-west-1"

load_balancer "api" {{
  type = "network"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/api/0123456789abcdef"
  azs  = ["euw1-az1", "euw1-az2"]
{api_ip}}}

load_balancer "admin" {{
  type            = "network"
  arn             = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/admin/0123456789abcdef"
  azs             = ["euw1-az1", "euw1-az2"]
  ip_address_type = "dualstack"
}}

endpoint_service "api" {{
  load_balancers             = [load_balancer.api, load_balancer.admin]
  supported_ip_address_types = {types}
}}
"#
        )
    }

    #[test]
    fn ipv4_load_balancer_behind_an_ipv6_service() {
        let hcl = config("  ip_address_type = \"ipv4\"\n", "[\"ipv4\", \"ipv6\"]");
        assert_eq!(lines_of("V609", &hcl), [7]);
        let d = first_of("V609", &hcl);
        assert_eq!(
            d.message,
            "`endpoint_service.api` supports `ipv6`, but its load balancer `load_balancer.api` is not `dualstack`"
        );
        assert_eq!(d.labels.len(), 2);
    }

    #[test]
    fn existing_load_balancer_without_a_type_is_not_judged() {
        let hcl = config("", "[\"ipv4\", \"ipv6\"]");
        assert_eq!(lines_of("V609", &hcl), Vec::<usize>::new());
    }

    #[test]
    fn created_load_balancer_defaults_to_ipv4() {
        let hcl = r#"region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

subnet "a" {
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}

load_balancer "api" {
  type    = "network"
  subnets = [subnet.a]
}

endpoint_service "api" {
  load_balancers             = [load_balancer.api]
  supported_ip_address_types = ["ipv6"]
}
"#;
        assert_eq!(lines_of("V609", hcl), [11]);
    }

    #[test]
    fn dualstack_or_ipv4_only_services_pass() {
        let dualstack = config(
            "  ip_address_type = \"dualstack\"\n",
            "[\"ipv4\", \"ipv6\"]",
        );
        assert_eq!(lines_of("V609", &dualstack), Vec::<usize>::new());
        let ipv4_only = config("  ip_address_type = \"ipv4\"\n", "[\"ipv4\"]");
        assert_eq!(lines_of("V609", &ipv4_only), Vec::<usize>::new());
    }
}
