use std::collections::{BTreeMap, BTreeSet};

use ipnet::Ipv4Net;
use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{net::Cidr, Endpoint, Id, Model, SecurityGroup, SecurityGroupRule, Vpc};

use super::interface_endpoints;
use crate::{
    service::{self, Service, ServicePorts, Transport},
    Rule, RuleCx,
};

/// V406: no security group of an interface endpoint admits clients of its VPC.
///
/// An interface endpoint's network interfaces are guarded by its security groups
/// (`SecurityGroupIds`: "If this parameter is not specified, we use the default
/// security group for the VPC", AWS-FACTS §1.1 and §3.1 T8). When none admits the
/// clients, connections time out. AWS services listen on TCP 443 (HTTPS).
///
/// A group admits the VPC when one of its ingress rules has the service's protocol
/// (`tcp`/`6`, `udp`/`17`, or `-1`), ports covering the service's port (or no ports),
/// and a source in the VPC: a CIDR overlapping the VPC's CIDR, `::/0` in a VPC with
/// IPv6, or a security group of the same VPC. An endpoint service of this configuration
/// is judged by its listeners (a UDP service by UDP rules; admitting one of its ports
/// is enough); one whose listeners vpce cannot see (an existing load balancer without
/// `listener` blocks), or another account's, by any TCP port. A service whose load
/// balancers have no listener is reachable by nobody whatever the groups say: not
/// judged here (reachability says so).
///
/// Without `security_groups` the endpoint gets its VPC's default group, which admits
/// only its own members: warned, unless the VPC is existing (its default group may have
/// been changed). Not reported when vpce cannot know: an existing group (`id`) without
/// ingress written, a group of another VPC (V206), a rule whose protocol or CIDRs are
/// invalid, an IPv6 CIDR other than `::/0`, or a service that did not resolve.
pub struct EndpointUnreachableSg;

const HTTPS: u16 = 443;

/// Whether something admits the VPC's clients.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Admits {
    No,
    Unknown,
    Yes,
}

/// What clients send: a transport, on a port (`None`: any port).
type Wanted = (Transport, Option<u16>);

struct Target<'m> {
    model: &'m Model,
    vpc: Id<Vpc>,
    net: Ipv4Net,
    ipv6: bool,
    /// Any one of these admitted is enough.
    wanted: Vec<Wanted>,
}

impl Target<'_> {
    /// What a group of the target's VPC admits.
    fn group(&self, group: &SecurityGroup) -> Admits {
        if group.common.is_existing() && group.ingress.is_empty() {
            return Admits::Unknown;
        }
        group
            .ingress
            .iter()
            .flat_map(|rule| self.wanted.iter().map(move |wanted| (rule, *wanted)))
            .map(|(rule, wanted)| self.rule(rule, wanted))
            .max()
            .unwrap_or(Admits::No)
    }

    fn rule(&self, rule: &SecurityGroupRule, (transport, port): Wanted) -> Admits {
        let Some(protocol) = &rule.protocol else {
            return Admits::Unknown;
        };
        if !transport
            .rule_protocols()
            .contains(&protocol.value.as_str())
        {
            return Admits::No;
        }
        let all = protocol.value == vpce_model::schema::ALL_PROTOCOLS;
        let port_ok = all
            || match (&rule.ports, port) {
                (None, _) | (_, None) => true,
                (Some(range), Some(port)) => range.contains(port),
            };
        if !port_ok {
            return Admits::No;
        }
        let cidrs = rule.cidrs.iter().map(|cidr| self.cidr(cidr));
        let groups = rule.security_groups.iter().map(|group| {
            match self.model.security_groups[group.value].vpc {
                Some(vpc) if vpc == self.vpc => Admits::Yes,
                Some(_) => Admits::No,
                None => Admits::Unknown,
            }
        });
        cidrs.chain(groups).max().unwrap_or(Admits::No)
    }

    fn cidr(&self, cidr: &Cidr) -> Admits {
        if cidr.contains(':') {
            return match (self.ipv6, cidr.as_str()) {
                (false, _) => Admits::No,
                (true, "::/0") => Admits::Yes,
                // The VPC's Amazon-provided block is not known before deployment.
                (true, _) => Admits::Unknown,
            };
        }
        match cidr.v4() {
            Some(net) if net.contains(&self.net.network()) || self.net.contains(&net.network()) => {
                Admits::Yes
            }
            Some(_) => Admits::No,
            None => Admits::Unknown,
        }
    }
}

impl Rule for EndpointUnreachableSg {
    fn code(&self) -> Code {
        Code::EndpointUnreachableSg
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        // What each group admits from its own VPC for what clients send: computed once
        // per group and service ports however many endpoints share them.
        let mut cache = BTreeMap::new();
        for (_, endpoint) in interface_endpoints(model) {
            let Some(vpc_id) = endpoint.vpc else { continue };
            let vpc = &model.vpcs[vpc_id];
            let Some(net) = vpc.cidr.as_ref().and_then(|c| c.v4()) else {
                continue;
            };
            let wanted = match endpoint.resolved_service.as_ref() {
                Some(Service::Aws { .. }) => vec![(Transport::Tcp, Some(HTTPS))],
                Some(Service::Local(id)) => match service::listening_ports(model, *id) {
                    ServicePorts::Unknown => vec![(Transport::Tcp, None)],
                    // Reachable by nobody, or a gateway load balancer's service (V501):
                    // no port a group could open.
                    ServicePorts::NoListener => continue,
                    ServicePorts::Listening(ports) if ports.is_empty() => continue,
                    ServicePorts::Listening(ports) => ports
                        .into_iter()
                        .map(|(transport, port)| (transport, Some(port)))
                        .collect(),
                },
                Some(Service::Foreign { .. }) => vec![(Transport::Tcp, None)],
                None => continue,
            };
            let target = Target {
                model,
                vpc: vpc_id,
                net,
                ipv6: vpc.ipv6,
                wanted,
            };
            check_endpoint(cx, &target, &mut cache, endpoint);
        }
    }
}

/// Per group and what clients send: what the group admits from its VPC.
type Cache = BTreeMap<(usize, Vec<Wanted>), Admits>;

fn check_endpoint(
    cx: &mut RuleCx<'_>,
    target: &Target<'_>,
    cache: &mut Cache,
    endpoint: &Endpoint,
) {
    let model = target.model;
    let common = &endpoint.common;
    let vpc = &model.vpcs[target.vpc];
    let vpc_address = vpc.common.address.clone();
    let what = target
        .wanted
        .iter()
        .map(|(transport, port)| match port {
            Some(port) => format!("{} {port}", transport.as_str()),
            None => transport.as_str().to_string(),
        })
        .collect::<Vec<_>>()
        .join(" or ");
    // The rule to add: for the first of what clients send.
    let (transport, port) = target.wanted[0];
    let protocol = transport.as_str().to_ascii_lowercase();
    let rule_text = match port {
        Some(port) => format!(
            "`protocol = \"{protocol}\"`, `ports = {port}`, `cidrs = [{vpc_address}.cidr]`"
        ),
        None => format!(
            "`protocol = \"{protocol}\"`, the service's port in `ports`, `cidrs = [{vpc_address}.cidr]`"
        ),
    };
    let Some(span) = common.value_span("security_groups") else {
        if common.is_existing() || vpc.common.is_existing() {
            return;
        }
        cx.report(
            Diagnostic::new(
                Code::EndpointUnreachableSg,
                format!(
                    "endpoint `{}` has the default security group of `{vpc_address}`, which admits only its own members",
                    common.shown()
                ),
            )
            .with_label(common.header, "no `security_groups`")
            .with_help(format!(
                "add `security_groups = [security_group.NAME]` with a group whose ingress rule has {rule_text}"
            )),
        );
        return;
    };
    if endpoint.security_groups.is_empty() {
        // `[]`, or only invalid items (the front end's finding): nothing known here.
        return;
    }
    let admits = endpoint
        .security_groups
        .iter()
        .map(|group| {
            let sg = &model.security_groups[group.value];
            if sg.vpc != Some(target.vpc) {
                return Admits::Unknown; // V206, or its VPC is invalid
            }
            *cache
                .entry((group.value.index(), target.wanted.clone()))
                .or_insert_with(|| target.group(sg))
        })
        .max()
        .unwrap_or(Admits::Unknown);
    if admits != Admits::No {
        return;
    }
    let mut seen = BTreeSet::new();
    let groups: Vec<&SecurityGroup> = endpoint
        .security_groups
        .iter()
        .filter(|g| seen.insert(g.value))
        .map(|g| &model.security_groups[g.value])
        .collect();
    let first = groups[0].common.address.clone();
    let message = if groups.len() == 1 {
        format!(
            "endpoint `{}` is unreachable from `{vpc_address}`: `{first}` admits no {what} from it",
            common.shown()
        )
    } else {
        format!(
            "endpoint `{}` is unreachable from `{vpc_address}`: none of its security groups admits {what} from it",
            common.shown()
        )
    };
    let mut diagnostic = Diagnostic::new(Code::EndpointUnreachableSg, message).with_label(
        span,
        format!("no {what} from `{vpc_address}` through these"),
    );
    for group in groups {
        diagnostic = diagnostic.with_label(
            group.common.header,
            format!("admits no {what} from `{vpc_address}`"),
        );
    }
    cx.report(diagnostic.with_help(format!(
        "add an `ingress` block to `{first}` with {rule_text}"
    )));
}

#[cfg(test)]
mod tests {
    use super::super::{first_of, lines_of};

    fn config(groups: &str, endpoint_extra: &str, service: &str) -> String {
        format!(
            r#"region = "eu-west-1"

vpc "main" {{
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}}

vpc "other" {{ cidr = "10.1.0.0/16" }}

subnet "a" {{
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}}

{groups}
endpoint "e" {{
  type    = "interface"
  service = {service}
  vpc     = vpc.main
  subnets = [subnet.a]
{endpoint_extra}}}
"#
        )
    }

    fn group(name: &str, ingress: &str) -> String {
        format!("security_group \"{name}\" {{\n  vpc = vpc.main\n{ingress}}}\n")
    }

    fn ingress(protocol: &str, ports: &str, source: &str) -> String {
        format!("  ingress {{\n    protocol = \"{protocol}\"\n{ports}    {source}\n  }}\n")
    }

    const SG: &str = "  security_groups = [security_group.sg]\n";

    #[test]
    fn admitting_rules_pass() {
        for rule in [
            ingress("tcp", "    ports    = 443\n", "cidrs = [vpc.main.cidr]"),
            ingress(
                "tcp",
                "    ports    = \"1-1024\"\n",
                "cidrs = [\"10.0.1.0/24\"]",
            ),
            ingress("-1", "", "cidrs = [\"0.0.0.0/0\"]"),
            ingress("tcp", "", "cidrs = [\"10.0.0.0/8\"]"),
            ingress(
                "tcp",
                "    ports    = 443\n",
                "security_groups = [security_group.sg]",
            ),
        ] {
            let hcl = config(&group("sg", &rule), SG, "\"ssm\"");
            assert_eq!(lines_of("V406", &hcl), Vec::<usize>::new(), "{hcl}");
        }
    }

    #[test]
    fn rules_that_do_not_admit() {
        for rule in [
            ingress("tcp", "    ports    = 80\n", "cidrs = [vpc.main.cidr]"),
            ingress("udp", "    ports    = 443\n", "cidrs = [vpc.main.cidr]"),
            ingress("tcp", "    ports    = 443\n", "cidrs = [\"172.16.0.0/12\"]"),
            ingress("tcp", "    ports    = 443\n", "cidrs = [\"::/0\"]"),
            String::new(),
        ] {
            let hcl = config(&group("sg", &rule), SG, "\"ssm\"");
            assert_eq!(lines_of("V406", &hcl).len(), 1, "{hcl}");
        }
        let d = first_of("V406", &config(&group("sg", ""), SG, "\"ssm\""));
        assert_eq!(
            d.message,
            "endpoint `e` is unreachable from `vpc.main`: `security_group.sg` admits no TCP 443 from it"
        );
    }

    #[test]
    fn default_security_group() {
        let hcl = config("", "", "\"ssm\"");
        assert_eq!(lines_of("V406", &hcl), [17]);
        assert!(first_of("V406", &hcl)
            .message
            .contains("default security group"));
    }

    #[test]
    fn unknowable_cases_pass() {
        // An existing group with no rules written.
        let existing =
            "security_group \"sg\" {\n  id  = \"sg-0123456789abcdef0\"\n  vpc = vpc.main\n}\n";
        let hcl = config(existing, SG, "\"ssm\"");
        assert_eq!(lines_of("V406", &hcl), Vec::<usize>::new());
        // A group of another VPC is V206's finding.
        let other = "security_group \"sg\" {\n  vpc = vpc.other\n}\n";
        let hcl = config(other, SG, "\"ssm\"");
        assert_eq!(lines_of("V406", &hcl), Vec::<usize>::new());
        // A foreign endpoint service: any TCP port from the VPC will do.
        let rule = ingress("tcp", "    ports    = 8443\n", "cidrs = [vpc.main.cidr]");
        let hcl = config(
            &group("sg", &rule),
            SG,
            "\"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0\"",
        );
        assert_eq!(lines_of("V406", &hcl), Vec::<usize>::new());
    }

    #[test]
    fn a_shared_group_is_judged_in_its_own_vpc() {
        let hcl = r#"region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

vpc "other" { cidr = "10.1.0.0/16" }

subnet "a" {
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}

subnet "o" {
  vpc  = vpc.other
  az   = "euw1-az1"
  cidr = "10.1.1.0/24"
}

security_group "web" {
  vpc = vpc.other
  ingress {
    protocol = "tcp"
    ports    = 80
    cidrs    = [vpc.other.cidr]
  }
}

endpoint "cross" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.a]
  security_groups = [security_group.web]
  private_dns     = false
}

endpoint "own" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.other
  subnets         = [subnet.o]
  security_groups = [security_group.web]
  private_dns     = false
}
"#;
        // `cross` uses a group of another VPC (V206): not judged here.
        assert_eq!(lines_of("V406", hcl), [42]);
    }

    /// A provider's network load balancer with `listeners`, behind a service the
    /// endpoint `e` connects to.
    fn local_service(listeners: &str) -> String {
        format!(
            "vpc \"provider\" {{ cidr = \"10.20.0.0/16\" }}\nsubnet \"lb\" {{\n  vpc  = vpc.provider\n  az   = \"euw1-az1\"\n  cidr = \"10.20.1.0/24\"\n}}\nload_balancer \"dns\" {{\n  type    = \"network\"\n  subnets = [subnet.lb]\n{listeners}}}\nendpoint_service \"dns\" {{\n  load_balancers      = [load_balancer.dns]\n  acceptance_required = false\n}}\n"
        )
    }

    #[test]
    fn a_local_service_is_judged_by_its_listeners() {
        let udp_53 = "  listener {\n    port     = 53\n    protocol = \"UDP\"\n  }\n";
        let service = "endpoint_service.dns";
        let udp_rule = ingress("udp", "    ports    = 53\n", "cidrs = [vpc.main.cidr]");
        let tcp_rule = ingress("tcp", "    ports    = 53\n", "cidrs = [vpc.main.cidr]");
        let udp = config(
            &(local_service(udp_53) + &group("sg", &udp_rule)),
            SG,
            service,
        );
        assert_eq!(lines_of("V406", &udp), Vec::<usize>::new());
        let tcp = config(
            &(local_service(udp_53) + &group("sg", &tcp_rule)),
            SG,
            service,
        );
        let d = first_of("V406", &tcp);
        assert_eq!(
            d.message,
            "endpoint `e` is unreachable from `vpc.main`: `security_group.sg` admits no UDP 53 from it"
        );
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .contains("`protocol = \"udp\"`, `ports = 53`"),
            "{:?}",
            d.help
        );
        // Without listeners nobody reaches it; that is reachability's to say.
        let none = config(&(local_service("") + &group("sg", &tcp_rule)), SG, service);
        assert_eq!(lines_of("V406", &none), Vec::<usize>::new());
    }
}
