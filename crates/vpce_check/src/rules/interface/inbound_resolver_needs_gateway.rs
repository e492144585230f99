use std::collections::BTreeSet;

use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{EndpointType, Id, Vpc};

use super::and_list;
use crate::{service::Service, Rule, RuleCx};

/// V407: `private_dns_only_for_inbound_resolver = true` where it cannot work.
///
/// The option splits DNS between the two endpoint types of one service: queries from
/// on-premises (through a Route 53 Resolver inbound endpoint) get the interface
/// endpoint, queries from the VPC keep the public name, which the gateway endpoint's
/// route carries. AWS documents it as "available only for services that support both
/// gateway and interface endpoints" (EC2 API `DnsOptionsSpecification`) and refuses it
/// without the gateway endpoint: "To set PrivateDnsOnlyForInboundResolverEndpoint to
/// true, the VPC vpc-xxxxxxx must have a Gateway endpoint for the service."
/// (AWS-FACTS §3.3 C8).
///
/// Reported when the option is `true` and:
/// - the endpoint is an interface endpoint whose AWS service has both endpoint types
///   in the catalogue (S3, DynamoDB) but its VPC has no gateway endpoint for the same
///   service (same full name, so the same region);
/// - the service does not have both endpoint types (most AWS services, and every
///   endpoint service): the option does not apply.
///
/// Unknown AWS services (V405) and unresolved services are skipped; on gateway and
/// gateway load balancer endpoints the option is V301's and V505's finding.
pub struct InboundResolverNeedsGateway;

impl Rule for InboundResolverNeedsGateway {
    fn code(&self) -> Code {
        Code::InboundResolverNeedsGateway
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        // (VPC, full service name) of every gateway endpoint.
        let gateways: BTreeSet<(Id<Vpc>, String)> = model
            .endpoints
            .iter()
            .filter(|(_, e)| {
                e.endpoint_type.as_ref().map(|t| t.value) == Some(EndpointType::Gateway)
            })
            .filter_map(|(_, e)| match e.resolved_service.as_ref()? {
                Service::Aws { full_name, .. } => Some((e.vpc?, full_name.clone())),
                _ => None,
            })
            .collect();
        let both_types: Vec<String> = vpce_data::services()
            .iter()
            .filter(|s| s.gateway && s.interface)
            .map(|s| s.name.clone())
            .collect();
        for (_, endpoint) in model.endpoints.iter() {
            let Some(option) = &endpoint.private_dns_only_for_inbound_resolver else {
                continue;
            };
            if !option.value {
                continue;
            }
            let Some(endpoint_type) = endpoint.endpoint_type.as_ref().map(|t| t.value) else {
                continue;
            };
            let applies = format!(
                "`private_dns_only_for_inbound_resolver` applies only to services with both gateway and interface endpoints ({})",
                and_list(&both_types)
            );
            if endpoint_type != EndpointType::Interface {
                continue; // V301, V505
            }
            let Some(service) = endpoint.resolved_service.as_ref() else {
                continue;
            };
            let (short, full_name) = match &service {
                Service::Aws {
                    catalogue: None, ..
                } => continue,
                Service::Aws {
                    name: short,
                    full_name,
                    catalogue: Some(entry),
                    ..
                } if entry.gateway && entry.interface => (short.clone(), full_name.clone()),
                other => {
                    let shown = super::service_display(model, other);
                    let mut diagnostic = Diagnostic::new(
                        Code::InboundResolverNeedsGateway,
                        format!(
                            "`private_dns_only_for_inbound_resolver` does not apply to `{shown}`"
                        ),
                    )
                    .with_label(option.span, format!("not available for `{shown}`"));
                    if let Some(span) = endpoint.service.as_ref().map(|s| s.span) {
                        diagnostic = diagnostic
                            .with_label(span, format!("`{shown}` has interface endpoints only"));
                    }
                    cx.report(
                        diagnostic
                            .with_note(applies)
                            .with_help("remove `private_dns_only_for_inbound_resolver`"),
                    );
                    continue;
                }
            };
            let Some(vpc) = endpoint.vpc else { continue };
            if gateways.contains(&(vpc, full_name)) {
                continue;
            }
            let name = &endpoint.common.shown();
            let vpc_address = &model.vpcs[vpc].common.address;
            cx.report(
                Diagnostic::new(
                    Code::InboundResolverNeedsGateway,
                    format!(
                        "`private_dns_only_for_inbound_resolver` on endpoint `{name}` needs a gateway endpoint for `{short}` in `{vpc_address}`"
                    ),
                )
                .with_label(option.span, format!("needs a gateway endpoint for `{short}` in `{vpc_address}`"))
                .with_note(format!(
                    "inside the VPC, `{short}` keeps its public name and is reached through a gateway endpoint's route; without one AWS refuses the option"
                ))
                .with_help(format!(
                    "add an endpoint with `type = \"gateway\"`, `service = \"{short}\"` and the VPC's route tables, or remove the option"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{first_of, lines_of, BASE};

    fn interface(service: &str) -> String {
        format!(
            r#"endpoint "inbound" {{
  type                                  = "interface"
  service                               = "{service}"
  vpc                                   = vpc.main
  subnets                               = [subnet.a, subnet.b]
  security_groups                       = [security_group.endpoints]
  private_dns_only_for_inbound_resolver = true
}}
"#
        )
    }

    const S3_GATEWAY: &str = r#"endpoint "s3_gateway" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
}

"#;

    #[test]
    fn s3_without_gateway_endpoint() {
        let hcl = format!("{BASE}{}", interface("s3"));
        assert_eq!(lines_of("V407", &hcl), [39]);
        assert_eq!(
            first_of("V407", &hcl).message,
            "`private_dns_only_for_inbound_resolver` on endpoint `inbound` needs a gateway endpoint for `s3` in `vpc.main`"
        );
    }

    #[test]
    fn s3_with_gateway_endpoint_passes() {
        let hcl = format!("{BASE}{S3_GATEWAY}{}", interface("s3"));
        assert_eq!(lines_of("V407", &hcl), Vec::<usize>::new());
        // DynamoDB's gateway endpoint does not help S3.
        let ddb = S3_GATEWAY.replace("\"s3\"", "\"dynamodb\"");
        let hcl = format!("{BASE}{ddb}{}", interface("s3"));
        assert_eq!(lines_of("V407", &hcl), [46]);
    }

    #[test]
    fn services_without_gateway_endpoints() {
        let hcl = format!("{BASE}{S3_GATEWAY}{}", interface("ssm"));
        assert_eq!(lines_of("V407", &hcl), [46]);
        let d = first_of("V407", &hcl);
        assert_eq!(
            d.message,
            "`private_dns_only_for_inbound_resolver` does not apply to `ssm`"
        );
    }

    #[test]
    fn option_off_or_unknown_service_passes() {
        let off = interface("ssm").replace("= true", "= false");
        assert_eq!(
            lines_of("V407", &format!("{BASE}{off}")),
            Vec::<usize>::new()
        );
        let unknown = interface("ssmm");
        assert_eq!(
            lines_of("V407", &format!("{BASE}{unknown}")),
            Vec::<usize>::new()
        );
    }
}
