use vpce_diagnostics::{Code, Diagnostic};

use super::{local_service_lacks_private_dns_name, private_dns_to_local_service};
use crate::{Rule, RuleCx};

/// V410: `private_dns = true` on an interface endpoint to an endpoint service of this
/// configuration that has no `private_dns_name`.
///
/// Private DNS makes a service's own DNS name resolve to the endpoint; an endpoint
/// service without a private DNS name has none to publish, and AWS refuses the request:
/// "Private DNS can't be enabled because the service ... does not provide a private DNS
/// name" (docs/rule-catalogue.md, V410; the text is elided where AWS names the service).
///
/// Only endpoint services created here are judged: an existing one (`id`) may have a
/// name vpce cannot see, and so may another account's. A `private_dns_name` that was
/// written but rejected was reported by the front end. The same cause is not reported
/// again as a VPC DNS problem (V402) or a conflict (V403): both skip services without a
/// private DNS name.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html>.
pub struct PrivateDnsWithoutName;

impl Rule for PrivateDnsWithoutName {
    fn code(&self) -> Code {
        Code::PrivateDnsWithoutName
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint, service_id, on) in private_dns_to_local_service(model) {
            if !local_service_lacks_private_dns_name(model, service_id) {
                continue;
            }
            let service = &model.endpoint_services[service_id];
            let service_name = service.common.address.clone();
            cx.report(
                Diagnostic::new(
                    Code::PrivateDnsWithoutName,
                    format!(
                        "endpoint `{}` enables private DNS, but `{service_name}` has no private DNS name",
                        endpoint.common.shown()
                    ),
                )
                .with_label(on, "private DNS requested here")
                .with_label(service.common.header, "no `private_dns_name`")
                .with_note("AWS: \"Private DNS can't be enabled because the service ... does not provide a private DNS name\"")
                .with_help(format!(
                    "remove `private_dns = true`, or give `{service_name}` a `private_dns_name` of a domain you own"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{first_of, lines_of, local_service_config};
    use crate::testing::codes;

    const AUTO: &str = "  acceptance_required = false\n";

    fn config(service_extra: &str, endpoint_extra: &str) -> String {
        local_service_config(&format!("{AUTO}{service_extra}"), endpoint_extra)
    }

    #[test]
    fn private_dns_to_a_service_without_a_name() {
        let hcl = config("", "  private_dns     = true\n");
        assert_eq!(lines_of("V410", &hcl), [50]);
        let d = first_of("V410", &hcl);
        assert_eq!(
            d.message,
            "endpoint `api` enables private DNS, but `endpoint_service.api` has no private DNS name"
        );
        // One cause, one diagnostic: no VPC DNS or conflict finding besides.
        let codes = codes(&hcl);
        assert_eq!(codes, ["V410"], "{codes:?}");
    }

    #[test]
    fn the_vpc_dns_rule_does_not_also_fire() {
        // Without `dns_hostnames`, V402 would fire for a service with a name.
        let hcl = config("", "  private_dns     = true\n").replace("  dns_hostnames = true\n", "");
        let codes = codes(&hcl);
        assert_eq!(codes, ["V410"], "{codes:?}");
    }

    #[test]
    fn named_service_default_dns_and_existing_service_pass() {
        let named = config(
            "  private_dns_name    = \"api.example.com\"\n",
            "  private_dns     = true\n",
        );
        assert_eq!(lines_of("V410", &named), Vec::<usize>::new());
        let default_off = config("", "");
        assert_eq!(lines_of("V410", &default_off), Vec::<usize>::new());
        let explicit_off = config("", "  private_dns     = false\n");
        assert_eq!(lines_of("V410", &explicit_off), Vec::<usize>::new());
        let existing = config(
            "  id                  = \"vpce-svc-0123456789abcdef0\"\n",
            "  private_dns     = true\n",
        );
        assert_eq!(lines_of("V410", &existing), Vec::<usize>::new());
    }
}
