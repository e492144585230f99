use vpce_diagnostics::{Code, Diagnostic, Span};
use vpce_model::{Endpoint, EndpointService, EndpointType, Id, Model, ServiceRef};

use crate::{service::Service, Rule, RuleCx};

/// V408: an endpoint reaches a service in another region where AWS does not allow it,
/// or its `service_region` does not match the service.
///
/// Cross-region PrivateLink (AWS-FACTS §3.6 S6) works for interface endpoints only: the
/// consumer sets `ServiceRegion`, and the service must accept the consumer's region: a
/// provider lists it in its endpoint service's `SupportedRegions`, and AWS enables it
/// for a fixed list of its own services ("Cross-Region enabled AWS services",
/// <https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-cross-region-privatelink-support.html>,
/// the catalogue's `cross_region` column). Without `ServiceRegion` a service name of
/// another region does not exist in the VPC's region.
///
/// Reported, for an interface endpoint in a VPC of region V:
/// - an AWS service in region R ≠ V (by `service_region` or a full name) that the
///   catalogue does not mark cross-region;
/// - a full AWS name or a foreign endpoint service name in region R ≠ V without
///   `service_region`, or with a `service_region` other than R;
/// - an endpoint service of this configuration in region P (its load balancers'):
///   `service_region` other than P, P ≠ V without `service_region`, or P ≠ V while
///   its `supported_regions` lacks V;
///
/// and `service_region` other than V on a gateway load balancer endpoint (gateway
/// endpoints: V302). Unknown regions (V114), unknown AWS services (V405) and services
/// that did not resolve are skipped. The label is on `service_region` when written.
pub struct CrossRegionNotAllowed;

impl Rule for CrossRegionNotAllowed {
    fn code(&self) -> Code {
        Code::CrossRegionNotAllowed
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint) in model.endpoints.iter() {
            let Some(endpoint_type) = endpoint.endpoint_type.as_ref().map(|t| t.value) else {
                continue;
            };
            let Some(vpc) = endpoint.vpc else { continue };
            let Some(vpc_region) = model.vpc_region(vpc).map(|r| r.value.as_str()) else {
                continue;
            };
            if vpce_data::region(vpc_region).is_none() {
                continue;
            }
            let service_region = endpoint.service_region.as_ref();
            if service_region.is_some_and(|r| vpce_data::region(&r.value).is_none()) {
                continue;
            }
            let consumer = Consumer {
                model,
                endpoint,
                vpc_address: model.vpcs[vpc].common.address.clone(),
                vpc_region,
            };
            match endpoint_type {
                EndpointType::Interface => consumer.interface(cx),
                EndpointType::GatewayLoadBalancer => consumer.gateway_load_balancer(cx),
                EndpointType::Gateway => {}
            }
        }
    }
}

/// One endpoint and the VPC it is in.
struct Consumer<'m> {
    model: &'m Model,
    endpoint: &'m Endpoint,
    vpc_address: String,
    vpc_region: &'m str,
}

impl Consumer<'_> {
    fn name(&self) -> &str {
        self.endpoint.common.shown()
    }

    fn service_span(&self) -> Span {
        self.endpoint
            .service
            .as_ref()
            .map_or(self.endpoint.common.header, |s| s.span)
    }

    fn interface(&self, cx: &mut RuleCx<'_>) {
        let Some(service) = self.endpoint.resolved_service.as_ref() else {
            return;
        };
        match service {
            Service::Aws {
                name,
                region,
                catalogue,
                ..
            } => {
                let from_name = self.full_name_region();
                if self.region_mismatch(cx, from_name.as_deref(), &format!("`{name}`")) {
                    return;
                }
                let Some(entry) = catalogue else { return }; // V405
                if region == self.vpc_region || vpce_data::region(region).is_none() {
                    return;
                }
                if self.endpoint.service_region.is_none() {
                    let help = if entry.cross_region {
                        format!("add `service_region = \"{region}\"` to reach `{name}` in `{region}` from `{}`", self.vpc_region)
                    } else {
                        format!(
                            "use `com.amazonaws.{}.{name}`, the service in the VPC's own region",
                            self.vpc_region
                        )
                    };
                    self.missing_service_region(
                        cx,
                        &format!("`com.amazonaws.{region}.{name}`"),
                        region,
                        help,
                    );
                } else if !entry.cross_region {
                    self.report_at_service_region(
                        cx,
                        format!("`{name}` is not cross-region enabled: endpoint `{}` in `{}` cannot reach it in `{region}`", self.name(), self.vpc_region),
                        format!("`{name}` is not cross-region enabled"),
                        format!("create the endpoint in a VPC of `{region}`, or use `{name}` in `{}` without `service_region`", self.vpc_region),
                    );
                } else if partition(region) != partition(self.vpc_region) {
                    self.report_at_service_region(
                        cx,
                        format!("endpoint `{}` in `{}` cannot reach `{region}`, which is in another AWS partition", self.name(), self.vpc_region),
                        "another partition".to_string(),
                        "reach services of the VPC's own partition only".to_string(),
                    );
                }
            }
            Service::Foreign { region, name } => {
                if vpce_data::region(region).is_none() {
                    return;
                }
                if self.region_mismatch(cx, Some(region), &format!("`{name}`")) {
                    return;
                }
                if region != self.vpc_region && self.endpoint.service_region.is_none() {
                    let help = format!("add `service_region = \"{region}\"`; the provider must also list `{}` in its supported regions", self.vpc_region);
                    self.missing_service_region(cx, &format!("`{name}`"), region, help);
                }
            }
            Service::Local(id) => self.local(cx, *id),
        }
    }

    /// The region of a full AWS name as written (`com.amazonaws.us-east-1.s3`).
    fn full_name_region(&self) -> Option<String> {
        match &self.endpoint.service.as_ref()?.value {
            ServiceRef::Named(text) => {
                vpce_data::parse_aws_service_name(text.trim()).map(|(region, _)| region.to_string())
            }
            ServiceRef::Local(_) => None,
        }
    }

    /// `service_region` written and different from the region the service is in.
    fn region_mismatch(&self, cx: &mut RuleCx<'_>, service_in: Option<&str>, shown: &str) -> bool {
        let (Some(written), Some(service_in)) = (&self.endpoint.service_region, service_in) else {
            return false;
        };
        // An unknown region in a full name is V405's finding.
        if written.value == service_in || vpce_data::region(service_in).is_none() {
            return false;
        }
        cx.report(
            Diagnostic::new(
                Code::CrossRegionNotAllowed,
                format!(
                    "endpoint `{}` has `service_region = \"{}\"`, but {shown} is in `{service_in}`",
                    self.name(),
                    written.value
                ),
            )
            .with_label(written.span, format!("`{}` here…", written.value))
            .with_label(
                self.service_span(),
                format!("…but the service is in `{service_in}`"),
            )
            .with_help(format!("set `service_region = \"{service_in}\"`")),
        );
        true
    }

    fn missing_service_region(&self, cx: &mut RuleCx<'_>, shown: &str, region: &str, help: String) {
        let mut diagnostic = Diagnostic::new(
            Code::CrossRegionNotAllowed,
            format!(
                "endpoint `{}` is in `{}` but {shown} is in `{region}`",
                self.name(),
                self.vpc_region
            ),
        )
        .with_label(self.service_span(), format!("in `{region}`"));
        if let Some(vpc_span) = self.endpoint.common.value_span("vpc") {
            diagnostic = diagnostic.with_label(
                vpc_span,
                format!("`{}` is in `{}`", self.vpc_address, self.vpc_region),
            );
        }
        cx.report(
            diagnostic
                .with_note("a service of another region needs `service_region`: without it, AWS looks the name up in the VPC's region")
                .with_help(help),
        );
    }

    fn report_at_service_region(
        &self,
        cx: &mut RuleCx<'_>,
        message: String,
        label: String,
        help: String,
    ) {
        let span = self
            .endpoint
            .service_region
            .as_ref()
            .map_or(self.service_span(), |r| r.span);
        cx.report(
            Diagnostic::new(Code::CrossRegionNotAllowed, message)
                .with_label(span, label)
                .with_help(help),
        );
    }

    fn local(&self, cx: &mut RuleCx<'_>, id: Id<EndpointService>) {
        let model = self.model;
        let Some(provider_region) = provider_region(model, id) else {
            return;
        };
        let provider = &model.endpoint_services[id];
        let shown = format!("`{}`", provider.common.address);
        if self.region_mismatch(cx, Some(&provider_region), &shown) {
            return;
        }
        if provider_region == self.vpc_region {
            return;
        }
        let listed = provider
            .supported_regions
            .iter()
            .any(|r| r.value == self.vpc_region);
        let consumer = self.vpc_region;
        if self.endpoint.service_region.is_none() {
            let help = if listed {
                format!("add `service_region = \"{provider_region}\"`")
            } else {
                format!("add `service_region = \"{provider_region}\"`, and `\"{consumer}\"` to the service's `supported_regions`")
            };
            self.missing_service_region(cx, &shown, &provider_region, help);
            return;
        }
        if listed {
            return;
        }
        let span = self
            .endpoint
            .service_region
            .as_ref()
            .map_or(self.service_span(), |r| r.span);
        let provider_span = provider.common.value_span_or_header("supported_regions");
        let provider_label = if provider.common.value_span("supported_regions").is_some() {
            format!("`{consumer}` is not listed here")
        } else {
            "no `supported_regions`: same-region consumers only".to_string()
        };
        cx.report(
            Diagnostic::new(
                Code::CrossRegionNotAllowed,
                format!(
                    "{shown} does not accept endpoints from `{consumer}`: its `supported_regions` does not list it"
                ),
            )
            .with_label(span, format!("endpoint `{}` in `{consumer}` reaches into `{provider_region}`", self.name()))
            .with_label(provider_span, provider_label)
            .with_help(format!("add `\"{consumer}\"` to the `supported_regions` of {shown}")),
        );
    }

    fn gateway_load_balancer(&self, cx: &mut RuleCx<'_>) {
        let Some(written) = &self.endpoint.service_region else {
            return;
        };
        if written.value == self.vpc_region {
            return;
        }
        cx.report(
            Diagnostic::new(
                Code::CrossRegionNotAllowed,
                format!(
                    "gateway load balancer endpoint `{}` cannot reach a service in another region",
                    self.name()
                ),
            )
            .with_label(
                written.span,
                "cross-region access is for interface endpoints only",
            )
            .with_help(format!(
                "use an endpoint service in `{}` and remove `service_region`",
                self.vpc_region
            )),
        );
    }
}

fn provider_region(model: &Model, id: Id<EndpointService>) -> Option<String> {
    model.endpoint_service_region(id).map(str::to_string)
}

fn partition(region: &str) -> Option<&'static str> {
    vpce_data::region(region).map(|r| r.partition.as_str())
}

#[cfg(test)]
mod tests {
    use super::super::{first_of, lines_of, BASE};

    fn endpoint(service: &str, extra: &str) -> String {
        format!(
            r#"{BASE}endpoint "e" {{
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
    fn aws_services_across_regions() {
        // s3 is cross-region enabled, ssm is not.
        let ok = endpoint("\"s3\"", "  service_region  = \"us-east-1\"\n");
        assert_eq!(lines_of("V408", &ok), Vec::<usize>::new());
        let same = endpoint("\"ssm\"", "  service_region  = \"eu-west-1\"\n");
        assert_eq!(lines_of("V408", &same), Vec::<usize>::new());
        let hcl = endpoint("\"ssm\"", "  service_region  = \"us-east-1\"\n");
        assert_eq!(lines_of("V408", &hcl), [39]);
        assert_eq!(
            first_of("V408", &hcl).message,
            "`ssm` is not cross-region enabled: endpoint `e` in `eu-west-1` cannot reach it in `us-east-1`"
        );
    }

    #[test]
    fn full_names_of_another_region() {
        let hcl = endpoint("\"com.amazonaws.us-east-1.s3\"", "");
        assert_eq!(lines_of("V408", &hcl), [35]);
        assert_eq!(
            first_of("V408", &hcl).help.as_deref(),
            Some("add `service_region = \"us-east-1\"` to reach `s3` in `us-east-1` from `eu-west-1`")
        );
        let ok = endpoint(
            "\"com.amazonaws.us-east-1.s3\"",
            "  service_region  = \"us-east-1\"\n",
        );
        assert_eq!(lines_of("V408", &ok), Vec::<usize>::new());
        let mismatch = endpoint(
            "\"com.amazonaws.us-east-1.s3\"",
            "  service_region  = \"us-west-2\"\n",
        );
        assert_eq!(lines_of("V408", &mismatch), [39]);
    }

    #[test]
    fn foreign_services() {
        let name = "\"com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0\"";
        assert_eq!(lines_of("V408", &endpoint(name, "")), [35]);
        let ok = endpoint(name, "  service_region  = \"us-east-1\"\n");
        assert_eq!(lines_of("V408", &ok), Vec::<usize>::new());
    }

    fn local(supported: &str, extra: &str) -> String {
        format!(
            r#"{BASE}vpc "provider" {{
  cidr   = "10.9.0.0/16"
  region = "us-east-1"
}}

subnet "p" {{
  vpc  = vpc.provider
  az   = "use1-az1"
  cidr = "10.9.1.0/24"
}}

load_balancer "nlb" {{
  type    = "network"
  subnets = [subnet.p]
}}

endpoint_service "api" {{
  load_balancers = [load_balancer.nlb]
{supported}}}

endpoint "e" {{
  type            = "interface"
  service         = endpoint_service.api
  vpc             = vpc.main
  subnets         = [subnet.a, subnet.b]
  security_groups = [security_group.endpoints]
{extra}}}
"#
        )
    }

    #[test]
    fn local_endpoint_services() {
        let listed = "  supported_regions = [\"eu-west-1\"]\n";
        let region = "  service_region  = \"us-east-1\"\n";
        assert_eq!(
            lines_of("V408", &local(listed, region)),
            Vec::<usize>::new()
        );
        // Not listed: labelled at `service_region`.
        assert_eq!(lines_of("V408", &local("", region)), [59]);
        assert!(first_of("V408", &local("", region))
            .message
            .contains("does not accept endpoints from `eu-west-1`"));
        // No `service_region` at all.
        assert_eq!(lines_of("V408", &local(listed, "")), [56]);
        // The wrong region.
        let wrong = "  service_region  = \"us-west-2\"\n";
        assert_eq!(lines_of("V408", &local(listed, wrong)), [60]);
    }

    #[test]
    fn gateway_load_balancer_endpoints() {
        let hcl = format!(
            r#"{BASE}endpoint "g" {{
  type           = "gateway_load_balancer"
  service        = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
  vpc            = vpc.main
  subnets        = [subnet.a]
  service_region = "us-east-1"
}}
"#
        );
        assert_eq!(lines_of("V408", &hcl), [38]);
    }
}
