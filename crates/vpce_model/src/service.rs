//! What an endpoint's `service` names, resolved once for every rule: an AWS service
//! (short or full name) with its catalogue entry, an endpoint service of this
//! configuration, or a foreign endpoint service by name.

use crate::{Endpoint, EndpointService, Id, Model, ServiceRef};

/// The service an endpoint connects to.
#[derive(Clone, Debug, PartialEq)]
pub enum Service {
    /// An AWS service: `"s3"` or `"com.amazonaws.eu-west-1.s3"`.
    Aws {
        /// The short name, `s3`.
        name: String,
        /// The region of the service: the one in a full name, else the endpoint's
        /// `service_region`, else its VPC's region.
        region: String,
        /// `com.amazonaws.REGION.NAME`.
        full_name: String,
        /// The catalogue's entry; `None` when the catalogue does not list the name.
        catalogue: Option<&'static vpce_data::Service>,
    },
    /// An `endpoint_service` of this configuration.
    Local(Id<EndpointService>),
    /// `com.amazonaws.vpce.REGION.vpce-svc-...`: another account's endpoint service.
    Foreign { region: String, name: String },
}

impl Service {
    pub fn aws_name(&self) -> Option<&str> {
        match self {
            Service::Aws { name, .. } => Some(name),
            _ => None,
        }
    }

    /// Whether this is the AWS service `name` (`"s3"`).
    pub fn is_aws(&self, short: &str) -> bool {
        self.aws_name() == Some(short)
    }
}

/// Resolves every endpoint's service into `Endpoint::resolved_service`, once, after
/// the objects are built; no later stage resolves a service name again.
pub(crate) fn resolve_all(model: &mut Model) {
    let resolved: Vec<Option<Service>> = model
        .endpoints
        .iter()
        .map(|(_, endpoint)| resolve(model, endpoint))
        .collect();
    for ((_, endpoint), service) in model.endpoints.iter_mut().zip(resolved) {
        endpoint.resolved_service = service;
    }
}

fn resolve(model: &Model, endpoint: &Endpoint) -> Option<Service> {
    let service = endpoint.service.as_ref()?;
    match &service.value {
        ServiceRef::Local(id) => Some(Service::Local(*id)),
        ServiceRef::Named(text) => resolve_name(model, endpoint, text),
    }
}

fn resolve_name(model: &Model, endpoint: &Endpoint, text: &str) -> Option<Service> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("com.amazonaws.vpce.") {
        let (region, id) = rest.split_once('.')?;
        if !id.starts_with("vpce-svc-") {
            return None;
        }
        return Some(Service::Foreign {
            region: region.to_string(),
            name: text.to_string(),
        });
    }
    if let Some((region, name)) = vpce_data::parse_aws_service_name(text) {
        return Some(aws(name, region));
    }
    if text.contains("amazonaws") || text.is_empty() {
        return None;
    }
    let region = endpoint
        .service_region
        .as_ref()
        .map(|r| r.value.as_str())
        .or_else(|| Some(model.vpc_region(endpoint.vpc?)?.value.as_str()))?;
    Some(aws(text, region))
}

fn aws(name: &str, region: &str) -> Service {
    Service::Aws {
        name: name.to_string(),
        region: region.to_string(),
        full_name: format!("com.amazonaws.{region}.{name}"),
        catalogue: vpce_data::service(name),
    }
}

/// The language's default for an interface endpoint's `private_dns`: on for AWS
/// services, off for endpoint services (docs/language.md).
pub fn private_dns_default(service: Option<&Service>) -> bool {
    matches!(service, Some(Service::Aws { .. }))
}

/// Whether an interface endpoint has private DNS: `private_dns` when written, else the
/// language's default. One place for the rule, the template and the simulation.
pub fn private_dns_enabled(endpoint: &Endpoint) -> bool {
    endpoint.private_dns.as_ref().map_or_else(
        || private_dns_default(endpoint.resolved_service.as_ref()),
        |p| p.value,
    )
}

/// The endpoint service of this configuration that must accept `endpoint`'s connection
/// (`acceptance_required = true`): CloudFormation has no resource that accepts one, so
/// the endpoint stays `pendingAcceptance` until the service's owner accepts it. One
/// place for V607, reachability (`pending`) and the plan.
pub fn awaits_acceptance(model: &Model, endpoint: &Endpoint) -> Option<Id<EndpointService>> {
    match endpoint.resolved_service.as_ref()? {
        Service::Local(id) if model.endpoint_services[*id].acceptance_required => Some(*id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_endpoint_service(service: &str, extra: &str) -> Option<Service> {
        let text = format!(
            "region = \"eu-west-1\"\nvpc \"main\" {{ cidr = \"10.0.0.0/16\" }}\nendpoint \"e\" {{\n  type    = \"interface\"\n  service = \"{service}\"\n  vpc     = vpc.main\n{extra}}}\n"
        );
        let model = crate::model_of(&text);
        let (_, endpoint) = model.endpoints.iter().next().unwrap();
        endpoint.resolved_service.clone()
    }

    #[test]
    fn short_and_full_names() {
        let short = first_endpoint_service("s3", "").unwrap();
        assert!(short.is_aws("s3"));
        assert!(
            matches!(&short, Service::Aws { full_name, catalogue: Some(_), .. } if full_name == "com.amazonaws.eu-west-1.s3")
        );
        let full = first_endpoint_service("com.amazonaws.us-east-1.ssm", "").unwrap();
        assert!(matches!(&full, Service::Aws { region, .. } if region == "us-east-1"));
        let cross = first_endpoint_service("s3", "  service_region = \"us-east-1\"\n").unwrap();
        assert!(matches!(&cross, Service::Aws { region, .. } if region == "us-east-1"));
        let unknown = first_endpoint_service("not-a-service", "").unwrap();
        assert!(matches!(
            unknown,
            Service::Aws {
                catalogue: None,
                ..
            }
        ));
    }

    #[test]
    fn foreign_endpoint_services() {
        let foreign = first_endpoint_service(
            "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
            "",
        )
        .unwrap();
        assert!(matches!(foreign, Service::Foreign { region, .. } if region == "eu-west-1"));
        assert_eq!(
            first_endpoint_service("com.amazonaws.vpce.eu-west-1.nope", ""),
            None
        );
    }
}

/// How clients reach a service: over TCP or UDP.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Transport {
    Tcp,
    Udp,
}

impl Transport {
    /// `TCP`, `UDP`, as messages write them.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Tcp => "TCP",
            Transport::Udp => "UDP",
        }
    }

    /// The security group rule protocols that carry it (`-1` carries every protocol).
    pub fn rule_protocols(self) -> &'static [&'static str] {
        match self {
            Transport::Tcp => &["tcp", "6", crate::schema::ALL_PROTOCOLS],
            Transport::Udp => &["udp", "17", crate::schema::ALL_PROTOCOLS],
        }
    }
}

/// What an endpoint service of this configuration accepts from clients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServicePorts {
    /// Not known: a load balancer exists already and its listeners are not written.
    Unknown,
    /// No load balancer of the service has a listener: it accepts nothing.
    NoListener,
    /// The transports and ports of its listeners, sorted and without repeats.
    Listening(Vec<(Transport, u16)>),
}

impl ServicePorts {
    /// `TCP 443`, `TCP 443 or UDP 53`; `None` when unknown or empty.
    pub fn describe(&self) -> Option<String> {
        let ServicePorts::Listening(ports) = self else {
            return None;
        };
        let items: Vec<String> = ports
            .iter()
            .map(|(transport, port)| format!("{} {port}", transport.as_str()))
            .collect();
        Some(items.join(" or "))
    }
}

/// The ports an endpoint service listens on: its load balancers' listeners (a
/// `TCP_UDP` listener is both). A gateway load balancer's GENEVE listener is not
/// something clients send to: such a service listens on no port a security group sees,
/// but it has a listener.
pub fn listening_ports(model: &Model, service: Id<EndpointService>) -> ServicePorts {
    let mut ports = Vec::new();
    let mut any_listener = false;
    let load_balancers = &model.endpoint_services[service].load_balancers;
    if load_balancers.is_empty() {
        return ServicePorts::Unknown; // rejected by the front end
    }
    for item in load_balancers {
        let lb = &model.load_balancers[item.value];
        if !lb.listeners_known() {
            return ServicePorts::Unknown;
        }
        let Some(kind) = lb.lb_type.as_ref().map(|t| t.value) else {
            return ServicePorts::Unknown;
        };
        for listener in &lb.listeners {
            any_listener = true;
            let (Some(protocol), Some(port)) = (
                listener.effective_protocol(kind),
                listener.effective_port(kind),
            ) else {
                // V610's finding: nothing is judged through it.
                return ServicePorts::Unknown;
            };
            if protocol.carries_tcp() {
                ports.push((Transport::Tcp, port));
            }
            if protocol.carries_udp() {
                ports.push((Transport::Udp, port));
            }
        }
    }
    if !any_listener {
        return ServicePorts::NoListener;
    }
    ports.sort();
    ports.dedup();
    ServicePorts::Listening(ports)
}
