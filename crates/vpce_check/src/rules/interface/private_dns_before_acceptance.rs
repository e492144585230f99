use vpce_diagnostics::{Code, Diagnostic};

use super::{private_dns_to_local_service, private_dns_waits_for_acceptance};
use crate::{Rule, RuleCx};

/// V411: `private_dns = true` on an interface endpoint to an endpoint service of this
/// configuration that requires acceptance (`acceptance_required`, true by default).
///
/// The endpoint's connection stays `pendingAcceptance` until the provider accepts it,
/// and private DNS cannot be enabled on an endpoint whose connection is not accepted:
/// tools enable it in a second step after acceptance (terraform-provider-aws added
/// `aws_vpc_endpoint_private_dns` for this, PR #37628; crossplane-contrib/provider-aws
/// #1363 reports "can't enable private dns before it is accepted"). AWS's documentation
/// does not state the behaviour or the error text (AWS-FACTS §9 lists it as open), so
/// the rule's page says so.
///
/// A service without a private DNS name is V410's finding, not this one. An existing
/// endpoint service (`id`) is judged only when `acceptance_required` is written: vpce
/// cannot see its setting otherwise.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/accept-reject-endpoint-requests.html>.
pub struct PrivateDnsBeforeAcceptance;

impl Rule for PrivateDnsBeforeAcceptance {
    fn code(&self) -> Code {
        Code::PrivateDnsBeforeAcceptance
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint, service_id, on) in private_dns_to_local_service(model) {
            let service = &model.endpoint_services[service_id];
            let common = &service.common;
            let written = common.value_span("acceptance_required");
            if !private_dns_waits_for_acceptance(model, endpoint) {
                continue;
            }
            let service_name = common.address.clone();
            let (acceptance_span, acceptance_label) = match written {
                Some(span) => (span, "connections wait for acceptance".to_string()),
                None => (
                    common.header,
                    "`acceptance_required` is true by default".to_string(),
                ),
            };
            cx.report(
                Diagnostic::new(
                    Code::PrivateDnsBeforeAcceptance,
                    format!(
                        "endpoint `{}` enables private DNS before `{service_name}` accepts its connection",
                        endpoint.common.shown()
                    ),
                )
                .with_label(on, "private DNS requested at creation")
                .with_label(acceptance_span, acceptance_label)
                .with_note("private DNS can be enabled only once the provider has accepted the connection")
                .with_help(format!(
                    "set `acceptance_required = false` on `{service_name}`, or create the endpoint with `private_dns = false` and enable it after acceptance"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{first_of, lines_of, local_service_config};
    use crate::testing::codes_and_lines;

    fn config(service_extra: &str, private_dns: &str) -> String {
        local_service_config(
            service_extra,
            &format!("  private_dns     = {private_dns}\n"),
        )
    }

    const NAME: &str = "  private_dns_name    = \"api.example.com\"\n";

    #[test]
    fn default_and_written_acceptance() {
        let hcl = config(NAME, "true");
        assert_eq!(lines_of("V411", &hcl), [50]);
        let d = first_of("V411", &hcl);
        assert_eq!(
            d.message,
            "endpoint `api` enables private DNS before `endpoint_service.api` accepts its connection"
        );
        assert_eq!(
            d.labels[1].text.as_deref().unwrap(),
            "`acceptance_required` is true by default"
        );
        let written = config(&format!("{NAME}  acceptance_required = true\n"), "true");
        assert_eq!(lines_of("V411", &written), [51]);
        assert_eq!(
            first_of("V411", &written).labels[1]
                .text
                .as_deref()
                .unwrap(),
            "connections wait for acceptance"
        );
    }

    #[test]
    fn a_service_without_a_name_is_v410_only() {
        let hcl = config("", "true");
        // Other rules may speak of the pending connection itself (V607); private DNS
        // is V410's cause alone here.
        let codes: Vec<&str> = codes_and_lines(&hcl)
            .into_iter()
            .map(|(c, _)| c)
            .filter(|c| c.starts_with("V4"))
            .collect();
        assert_eq!(codes, ["V410"], "{codes:?}");
    }

    #[test]
    fn accepted_automatically_off_or_existing_pass() {
        let auto = config(&format!("{NAME}  acceptance_required = false\n"), "true");
        assert_eq!(lines_of("V411", &auto), Vec::<usize>::new());
        assert_eq!(
            lines_of("V411", &config(NAME, "false")),
            Vec::<usize>::new()
        );
        let existing = config(
            &format!("{NAME}  id                  = \"vpce-svc-0123456789abcdef0\"\n"),
            "true",
        );
        assert_eq!(lines_of("V411", &existing), Vec::<usize>::new());
    }
}
