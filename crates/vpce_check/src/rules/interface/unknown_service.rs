use vpce_diagnostics::{did_you_mean, suggest_typo, Code, Diagnostic, Span};
use vpce_model::{Endpoint, ServiceRef};

use super::interface_endpoints;
use crate::{service::Service, Rule, RuleCx};

/// V405: an interface endpoint whose `service` names no AWS service with interface
/// endpoints in its region, or is not a service name at all.
///
/// AWS only creates endpoints for the service names it offers in a region; anything
/// else fails with "service name does not exist" (AWS-FACTS §3.6 S6, paraphrased). vpce
/// checks names against its built-in catalogue (`crates/vpce_data/data/services.tsv`),
/// which comes from moto plus AWS documentation and lags AWS, which adds services
/// often. So a name the catalogue lacks is an error here only when it is likely a typo
/// of one it lists (`"ssmm"`, `com.amazonaws.eu-west-1.secretmanager`), with a
/// did-you-mean; any other well-formed name is V412's warning. Reported here:
///
/// - a name the catalogue lacks that is a likely typo of a catalogued interface service;
/// - a catalogued service without interface endpoints, or not offered in the service's
///   region (the region of a full name, else `service_region`, else the VPC's), and a
///   full name whose region is not an AWS region;
/// - text that is no service name (`"com.amazonaws.eu-west-1."`, or
///   `com.amazonaws.vpce.REGION.x` without a `vpce-svc-` id).
///
/// Gateway endpoints' services are V300's concern, gateway load balancer endpoints'
/// V501's; a region that does not match the VPC's is V408's; an unknown
/// `service_region` or VPC region is V114's.
pub struct UnknownService;

/// What the `service` text is, beyond what [`service::resolve`] accepts.
enum Shape {
    /// Looks like an AWS name (`com.amazonaws.iam`) the resolver does not model.
    UnmodelledAws,
    /// A foreign endpoint service in a form the resolver does not model (China).
    UnmodelledForeign,
    /// `com.amazonaws.vpce.` without a `REGION.vpce-svc-...` after it.
    MalformedEndpointService,
    /// Not a service name.
    Malformed,
    /// A short name whose VPC region is unknown: nothing to say here.
    Unresolved,
}

/// Dot-separated segments of lowercase letters, digits and `-`: how AWS writes the
/// name part of a service (`ecr.dkr`, `bedrock-agentcore`).
fn segments_ok(rest: &str) -> bool {
    !rest.is_empty()
        && rest.split('.').all(|s| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

fn shape(text: &str) -> Shape {
    let text = text.trim();
    let rest = text
        .strip_prefix("cn.com.amazonaws.")
        .or_else(|| text.strip_prefix("com.amazonaws."));
    match rest {
        Some(rest) => {
            if let Some(vpce) = rest.strip_prefix("vpce.") {
                let well_formed = vpce
                    .split_once('.')
                    .is_some_and(|(region, id)| !region.is_empty() && id.starts_with("vpce-svc-"));
                return match (well_formed, text.starts_with("cn.")) {
                    (true, true) => Shape::UnmodelledForeign,
                    // The resolver accepts the other well-formed names.
                    (true, false) => Shape::Unresolved,
                    (false, _) => Shape::MalformedEndpointService,
                };
            }
            if segments_ok(rest) {
                Shape::UnmodelledAws
            } else {
                Shape::Malformed
            }
        }
        None if text.is_empty() || text.contains("amazonaws") => Shape::Malformed,
        None => Shape::Unresolved,
    }
}

/// Catalogued services with interface endpoints, for did-you-mean.
fn interface_names() -> impl Iterator<Item = &'static str> {
    vpce_data::services()
        .iter()
        .filter(|s| s.interface)
        .map(|s| s.name.as_str())
}

/// A well-formed AWS service name on an interface endpoint that vpce's catalogue does
/// not list: V405 when it is a likely typo of a catalogued one, else V412.
pub(crate) struct CatalogueMiss {
    pub span: Span,
    /// The full name when the region is known (`com.amazonaws.eu-west-1.s3tables`),
    /// else the name as written (`com.amazonaws.iam`).
    pub full_name: String,
    /// Whether the user wrote a full name rather than a short one.
    pub full: bool,
    /// The service's region, when the name has one.
    pub region: Option<String>,
    /// The short name as written, when there is one.
    pub short: Option<String>,
    /// The catalogued interface service this is likely a misspelling of.
    pub typo_of: Option<&'static str>,
}

/// The catalogue miss of an interface endpoint's `service`, if it is one. Malformed
/// names, endpoint services and catalogued names are not misses.
pub(crate) fn catalogue_miss(endpoint: &Endpoint) -> Option<CatalogueMiss> {
    let written = endpoint.service.as_ref()?;
    let ServiceRef::Named(text) = &written.value else {
        return None;
    };
    match endpoint.resolved_service.as_ref() {
        None => matches!(shape(text), Shape::UnmodelledAws).then(|| CatalogueMiss {
            span: written.span,
            full_name: text.trim().to_string(),
            full: true,
            region: None,
            short: None,
            typo_of: None,
        }),
        Some(Service::Aws {
            name,
            region,
            full_name,
            catalogue: None,
        }) if segments_ok(name) => Some(CatalogueMiss {
            span: written.span,
            full: vpce_data::parse_aws_service_name(text.trim()).is_some(),
            typo_of: suggest_typo(name, interface_names()),
            full_name: full_name.clone(),
            region: Some(region.clone()),
            short: Some(name.clone()),
        }),
        _ => None,
    }
}

const CATALOGUE_NOTE: &str = "vpce checks service names against its built-in catalogue (from moto and AWS documentation), which may lag AWS";

impl Rule for UnknownService {
    fn code(&self) -> Code {
        Code::UnknownService
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, endpoint) in interface_endpoints(model) {
            let Some(written) = &endpoint.service else {
                continue;
            };
            let ServiceRef::Named(text) = &written.value else {
                continue;
            };
            let span = written.span;
            if let Some(miss) = catalogue_miss(endpoint) {
                if let Some(known) = miss.typo_of {
                    likely_typo(cx, &miss, known);
                }
                // Otherwise V412's warning: the name may be newer than the catalogue.
                continue;
            }
            match endpoint.resolved_service.as_ref() {
                None => unresolved(cx, text, span),
                Some(Service::Aws {
                    name,
                    region,
                    full_name,
                    catalogue,
                }) => {
                    let full = vpce_data::parse_aws_service_name(text.trim()).is_some();
                    let Some(entry) = catalogue else {
                        // Not a miss, so not well-formed.
                        cx.report(malformed(text, span));
                        continue;
                    };
                    if !entry.interface {
                        cx.report(
                            Diagnostic::new(
                                Code::UnknownService,
                                format!("`{name}` has no interface endpoints"),
                            )
                            .with_label(span, "gateway endpoints only")
                            .with_help("use `type = \"gateway\"`"),
                        );
                    } else if vpce_data::region(region).is_none() {
                        if full {
                            bad_region(cx, region, full_name, span);
                        }
                    } else if !entry.available_in(region) {
                        not_in_region(cx, endpoint, entry, region, full, span);
                    }
                }
                Some(Service::Local(_) | Service::Foreign { .. }) => {}
            }
        }
    }
}

fn unresolved(cx: &mut RuleCx<'_>, text: &str, span: Span) {
    match shape(text) {
        // An unmodelled AWS name is a catalogue miss (V412).
        Shape::Unresolved | Shape::UnmodelledForeign | Shape::UnmodelledAws => {}
        Shape::MalformedEndpointService => cx.report(
            Diagnostic::new(
                Code::UnknownService,
                format!("`{}` is not an endpoint service name", text.trim()),
            )
            .with_label(span, "no `vpce-svc-` id")
            .with_help("an endpoint service of another account is named `com.amazonaws.vpce.REGION.vpce-svc-...`: ask its provider for the name"),
        ),
        Shape::Malformed => cx.report(malformed(text, span)),
    }
}

fn malformed(text: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::UnknownService, format!("`{text}` is not a service name"))
        .with_label(span, "not a service name")
        .with_help("write a short AWS name such as `\"ssm\"`, a full name `\"com.amazonaws.REGION.NAME\"`, an endpoint service `\"com.amazonaws.vpce.REGION.vpce-svc-...\"`, or `endpoint_service.NAME`")
}

/// A name the catalogue lacks that is likely a misspelling of `known`.
fn likely_typo(cx: &mut RuleCx<'_>, miss: &CatalogueMiss, known: &str) {
    let (message, help) = match (&miss.region, miss.full) {
        (Some(region), true) => (
            format!(
                "vpce's catalogue does not list the AWS service `{}`",
                miss.full_name
            ),
            format!("did you mean `com.amazonaws.{region}.{known}`?"),
        ),
        _ => (
            format!(
                "unknown AWS service `{}`",
                miss.short.as_deref().unwrap_or(&miss.full_name)
            ),
            format!("did you mean `{known}`?"),
        ),
    };
    cx.report(
        Diagnostic::new(Code::UnknownService, message)
            .with_label(miss.span, "not in the catalogue")
            .with_note(CATALOGUE_NOTE)
            .with_help(help),
    );
}

fn bad_region(cx: &mut RuleCx<'_>, region: &str, full_name: &str, span: Span) {
    let help = did_you_mean(region, vpce_data::regions().iter().map(|r| r.code.as_str()))
        .unwrap_or_else(|| "use a region code such as `eu-west-1`".into());
    cx.report(
        Diagnostic::new(
            Code::UnknownService,
            format!("`{full_name}` names `{region}`, which is not an AWS region"),
        )
        .with_label(span, "unknown region")
        .with_help(help),
    );
}

fn not_in_region(
    cx: &mut RuleCx<'_>,
    endpoint: &Endpoint,
    entry: &vpce_data::Service,
    region: &str,
    full: bool,
    span: Span,
) {
    let name = &entry.name;
    let mut diagnostic = Diagnostic::new(
        Code::UnknownService,
        format!("`{name}` has no interface endpoints in `{region}`"),
    )
    .with_label(span, format!("not offered in `{region}`"));
    // Where the region comes from, when it is not in the name itself.
    if !full {
        let from = endpoint
            .service_region
            .as_ref()
            .map(|r| (r.span, "the service's region"))
            .or_else(|| {
                endpoint
                    .common
                    .value_span("vpc")
                    .map(|s| (s, "the VPC's region"))
            });
        if let Some((from_span, what)) = from {
            diagnostic = diagnostic.with_label(from_span, format!("`{region}` is {what}"));
        }
    }
    let help = if entry.cross_region {
        format!("use a region where `{name}` has endpoints, or reach one with `service_region`")
    } else {
        format!("use `{name}` from a VPC in a region where it has endpoints")
    };
    cx.report(diagnostic.with_note(CATALOGUE_NOTE).with_help(help));
}

#[cfg(test)]
mod tests {
    use super::super::{first_of, interface_endpoint_to, lines_of, BASE};

    /// A clean interface endpoint whose `service` is the HCL expression `service`.
    fn endpoint(service: &str) -> String {
        interface_endpoint_to(service)
    }

    #[test]
    fn unknown_short_name_with_suggestion() {
        let hcl = endpoint("\"secretmanager\"");
        assert_eq!(lines_of("V405", &hcl), [35]);
        let d = first_of("V405", &hcl);
        assert_eq!(d.message, "unknown AWS service `secretmanager`");
        assert_eq!(d.help.as_deref(), Some("did you mean `secretsmanager`?"));
    }

    #[test]
    fn unknown_full_name_blames_the_catalogue() {
        let hcl = endpoint("\"com.amazonaws.eu-west-1.ssmm\"");
        let d = first_of("V405", &hcl);
        assert_eq!(
            d.message,
            "vpce's catalogue does not list the AWS service `com.amazonaws.eu-west-1.ssmm`"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("did you mean `com.amazonaws.eu-west-1.ssm`?")
        );
        // A well-formed name far from every catalogued one is V412's warning.
        assert_eq!(
            lines_of("V405", &endpoint("\"com.amazonaws.iam\"")),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn malformed_names_and_bad_regions() {
        for text in ["\"com.amazonaws.eu-west-1.\"", "\"\""] {
            let d = first_of("V405", &endpoint(text));
            assert!(
                d.message.ends_with("is not a service name"),
                "{}",
                d.message
            );
        }
        let d = first_of("V405", &endpoint("\"com.amazonaws.vpce.eu-west-1.nope\""));
        assert!(
            d.message.ends_with("is not an endpoint service name"),
            "{}",
            d.message
        );
        let d = first_of("V405", &endpoint("\"com.amazonaws.eu-wset-1.ssm\""));
        assert!(d.message.contains("not an AWS region"), "{}", d.message);
        assert_eq!(d.help.as_deref(), Some("did you mean `eu-west-1`?"));
    }

    #[test]
    fn known_services_and_endpoint_services_pass() {
        for text in [
            "\"ssm\"",
            "\"com.amazonaws.eu-west-1.ecr.dkr\"",
            "\"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0\"",
            "\"cn.com.amazonaws.vpce.cn-north-1.vpce-svc-0123456789abcdef0\"",
        ] {
            assert_eq!(
                lines_of("V405", &endpoint(text)),
                Vec::<usize>::new(),
                "{text}"
            );
        }
    }

    #[test]
    fn gateway_endpoints_are_not_checked_here() {
        let hcl = format!(
            r#"{BASE}endpoint "e" {{
  type         = "gateway"
  service      = "ssmm"
  vpc          = vpc.main
  route_tables = [route_table.private]
}}
"#
        );
        assert_eq!(lines_of("V405", &hcl), Vec::<usize>::new());
    }

    #[test]
    fn service_not_offered_in_the_region() {
        // The catalogue lists codepipeline in every region but a few.
        assert!(!vpce_data::service("codepipeline")
            .unwrap()
            .available_in("ca-west-1"));
        let hcl = r#"region = "ca-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

endpoint "e" {
  type    = "interface"
  service = "codepipeline"
  vpc     = vpc.main
}
"#;
        assert_eq!(lines_of("V405", hcl), [7]);
        let d = first_of("V405", hcl);
        assert_eq!(
            d.message,
            "`codepipeline` has no interface endpoints in `ca-west-1`"
        );
        assert_eq!(d.labels.len(), 2);
    }
}
