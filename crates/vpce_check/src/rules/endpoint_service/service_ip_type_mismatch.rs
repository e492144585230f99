use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{EndpointType, IpAddressType};

use super::{address, join};
use crate::{service::Service, Rule, RuleCx};

/// V604: an endpoint whose `ip_address_type` its endpoint service does not support.
///
/// An endpoint service accepts the IP address types in its `supported_ip_address_types`
/// (`ipv4`, `ipv6`; default `["ipv4"]`, `AWS::EC2::VPCEndpointService.SupportedIpAddressTypes`).
/// An `ipv4` endpoint needs `ipv4`, an `ipv6` endpoint `ipv6`, and a `dualstack` one
/// both (AWS-FACTS §3.5 I1: "dualstack: all subnets have both and service accepts
/// both"). The endpoint's type defaults to `ipv4`.
///
/// Checked for interface and gateway load balancer endpoints whose `service` is an
/// `endpoint_service` of this configuration. AWS services and endpoint services of
/// other accounts are left to V404, which knows what the catalogue knows. A
/// `supported_ip_address_types` whose items were all invalid (already reported) is
/// skipped rather than read as the default.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html#endpoint-service-ip-address-type>.
pub struct ServiceIpTypeMismatch;

const IPV4: &str = IpAddressType::Ipv4.as_str();
const IPV6: &str = IpAddressType::Ipv6.as_str();

fn needs(ip: IpAddressType) -> &'static [&'static str] {
    match ip {
        IpAddressType::Ipv4 => &[IPV4],
        IpAddressType::Dualstack => &[IPV4, IPV6],
        IpAddressType::Ipv6 => &[IPV6],
    }
}

fn quoted(items: &[&str]) -> Vec<String> {
    items.iter().map(|i| format!("`{i}`")).collect()
}

impl Rule for ServiceIpTypeMismatch {
    fn code(&self) -> Code {
        Code::ServiceIpTypeMismatch
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (endpoint_id, endpoint) in model.endpoints.iter() {
            let Some(kind) = endpoint.endpoint_type.as_ref() else {
                continue;
            };
            if kind.value == EndpointType::Gateway {
                continue;
            }
            let common = &endpoint.common;
            let ip = match &endpoint.ip_address_type {
                Some(ip) => ip.value,
                // Written but invalid: already reported.
                None if common.value_span("ip_address_type").is_some() => continue,
                None => IpAddressType::Ipv4,
            };
            let Some(&Service::Local(service_id)) = endpoint.resolved_service.as_ref() else {
                continue;
            };
            let service = &model.endpoint_services[service_id];
            let written = service.common.value_span("supported_ip_address_types");
            let supported: Vec<&str> = if written.is_none() {
                vec![IPV4]
            } else {
                service
                    .supported_ip_address_types
                    .iter()
                    .map(|t| t.value.as_str())
                    .collect()
            };
            if supported.is_empty() {
                continue;
            }
            let missing: Vec<&str> = needs(ip)
                .iter()
                .copied()
                .filter(|t| !supported.contains(t))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let (endpoint_name, service_name) =
                (address(model, endpoint_id), address(model, service_id));
            let default = if endpoint.ip_address_type.is_none() {
                " (the default)"
            } else {
                ""
            };
            let mut supported_list = supported.clone();
            supported_list.sort_unstable();
            supported_list.dedup();
            let supports = format!(
                "supports {} only{}",
                join(&quoted(&supported_list), "and"),
                if written.is_none() {
                    " (the default)"
                } else {
                    ""
                }
            );
            let help = match supported_list.as_slice() {
                [only] => format!(
                    "add {} to `supported_ip_address_types` of `{service_name}`, or set `ip_address_type = \"{only}\"` on `{endpoint_name}`",
                    join(&missing.iter().map(|m| format!("`\"{m}\"`")).collect::<Vec<_>>(), "and")
                ),
                _ => format!(
                    "add {} to `supported_ip_address_types` of `{service_name}`",
                    join(&missing.iter().map(|m| format!("`\"{m}\"`")).collect::<Vec<_>>(), "and")
                ),
            };
            cx.report(
                Diagnostic::new(
                    Code::ServiceIpTypeMismatch,
                    if ip == IpAddressType::Dualstack {
                        format!(
                            "`{endpoint_name}` uses IP address type `dualstack`, which needs `ipv4` and `ipv6`, but `{service_name}` does not support {}",
                            join(&quoted(&missing), "or"),
                        )
                    } else {
                        format!(
                            "`{endpoint_name}` uses IP address type `{}`{default}, which `{service_name}` does not support",
                            ip.as_str(),
                        )
                    },
                )
                .with_label(
                    common.value_span_or_header("ip_address_type"),
                    if ip == IpAddressType::Dualstack {
                        "`dualstack` needs `ipv4` and `ipv6`".to_string()
                    } else {
                        format!("`{}`{default}", ip.as_str())
                    },
                )
                .with_label(written.unwrap_or(service.common.header), supports)
                .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines_of;

    fn config(service: &str, endpoint: &str) -> String {
        format!(
            r#"region = "eu-west-1"

load_balancer "nlb" {{
  type = "network"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/api/0123456789abcdef"
  azs  = ["euw1-az1", "euw1-az2"]
}}

endpoint_service "api" {{
  load_balancers = [load_balancer.nlb]
{service}}}

vpc "consumer" {{
  cidr = "10.40.0.0/16"
  ipv6 = true
}}

subnet "a" {{
  vpc       = vpc.consumer
  az        = "euw1-az1"
  cidr      = "10.40.1.0/24"
  ipv6_cidr = "auto"
}}

endpoint "api" {{
  type    = "interface"
  service = endpoint_service.api
  vpc     = vpc.consumer
  subnets = [subnet.a]
{endpoint}}}
"#
        )
    }

    #[test]
    fn dualstack_on_an_ipv4_service() {
        let hcl = config("", "  ip_address_type = \"dualstack\"\n");
        assert_eq!(lines_of("V604", &hcl), [30]);
    }

    #[test]
    fn default_ipv4_on_an_ipv6_only_service() {
        let hcl = config("  supported_ip_address_types = [\"ipv6\"]\n", "");
        // At the endpoint's header: the type is the default.
        assert_eq!(lines_of("V604", &hcl), [26]);
    }

    #[test]
    fn supported_types_pass() {
        let both = "  supported_ip_address_types = [\"ipv4\", \"ipv6\"]\n";
        for ip in ["ipv4", "dualstack", "ipv6"] {
            let hcl = config(both, &format!("  ip_address_type = \"{ip}\"\n"));
            assert_eq!(lines_of("V604", &hcl), Vec::<usize>::new(), "{ip}");
        }
        assert_eq!(lines_of("V604", &config("", "")), Vec::<usize>::new());
    }

    #[test]
    fn invalid_values_are_skipped() {
        let hcl = config(
            "  supported_ip_address_types = [\"ipv7\"]\n",
            "  ip_address_type = \"dualstack\"\n",
        );
        assert_eq!(lines_of("V604", &hcl), Vec::<usize>::new());
        let hcl = config("", "  ip_address_type = \"dual\"\n");
        assert_eq!(lines_of("V604", &hcl), Vec::<usize>::new());
    }
}
