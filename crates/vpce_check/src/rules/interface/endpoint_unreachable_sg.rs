use std::collections::BTreeSet;

use ipnet::Ipv4Net;
use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{Endpoint, Id, Model, SecurityGroup, SecurityGroupRule, Vpc};

use super::interface_endpoints;
use crate::{
    net::parse_cidr,
    service::{self, Service},
    Rule, RuleCx,
};

/// V406: no security group of an interface endpoint admits clients of its VPC.
///
/// An interface endpoint's network interfaces are guarded by its security groups
/// (`SecurityGroupIds`: "If this parameter is not specified, we use the default
/// security group for the VPC", AWS-FACTS §1.1 and §3.1 T8). When none admits the
/// clients, connections time out. AWS services listen on TCP 443 (HTTPS).
///
/// A group admits the VPC when one of its ingress rules has protocol `tcp` (or `6`) or
/// `-1`, ports covering 443 (or no ports), and a source in the VPC: a CIDR overlapping
/// the VPC's CIDR, `::/0` in a VPC with IPv6, or a security group of the same VPC.
/// For endpoint services (of this configuration or another account's) the listener port
/// is not part of the language, so any TCP port counts.
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

struct Target<'m> {
    model: &'m Model,
    vpc: Id<Vpc>,
    net: Ipv4Net,
    ipv6: bool,
    /// `None`: any port.
    port: Option<u16>,
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
            .map(|rule| self.rule(rule))
            .max()
            .unwrap_or(Admits::No)
    }

    fn rule(&self, rule: &SecurityGroupRule) -> Admits {
        let Some(protocol) = &rule.protocol else {
            return Admits::Unknown;
        };
        let all = match protocol.value.as_str() {
            "-1" => true,
            "tcp" | "6" => false,
            _ => return Admits::No,
        };
        let port_ok = all
            || match (&rule.ports, self.port) {
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

    fn cidr(&self, cidr: &str) -> Admits {
        if cidr.contains(':') {
            return match (self.ipv6, cidr.trim()) {
                (false, _) => Admits::No,
                (true, "::/0") => Admits::Yes,
                // The VPC's Amazon-provided block is not known before deployment.
                (true, _) => Admits::Unknown,
            };
        }
        match parse_cidr(cidr) {
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
        // What each group admits from its own VPC, for HTTPS and for any TCP port
        // (the two slots):
        // computed once per group however many endpoints share it.
        let mut cache = vec![[None; 2]; model.security_groups.len()];
        for (_, endpoint) in interface_endpoints(model) {
            let Some(vpc_id) = endpoint.vpc else { continue };
            let vpc = &model.vpcs[vpc_id];
            let Some(net) = vpc.cidr.as_ref().and_then(|c| parse_cidr(c)) else {
                continue;
            };
            let port = match service::resolve(model, endpoint) {
                Some(Service::Aws { .. }) => Some(HTTPS),
                Some(Service::Local(_) | Service::Foreign { .. }) => None,
                None => continue,
            };
            let target = Target {
                model,
                vpc: vpc_id,
                net,
                ipv6: vpc.ipv6,
                port,
            };
            check_endpoint(cx, &target, &mut cache, endpoint);
        }
    }
}

fn check_endpoint(
    cx: &mut RuleCx<'_>,
    target: &Target<'_>,
    cache: &mut [[Option<Admits>; 2]],
    endpoint: &Endpoint,
) {
    let model = target.model;
    let common = &endpoint.common;
    let vpc = &model.vpcs[target.vpc];
    let vpc_address = format!("vpc.{}", vpc.common.name);
    let what = match target.port {
        Some(port) => format!("TCP {port}"),
        None => "TCP".to_string(),
    };
    let rule_text = match target.port {
        Some(port) => {
            format!("`protocol = \"tcp\"`, `ports = {port}`, `cidrs = [{vpc_address}.cidr]`")
        }
        None => format!(
            "`protocol = \"tcp\"`, the service's port in `ports`, `cidrs = [{vpc_address}.cidr]`"
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
                    common.name
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
    let slot = usize::from(target.port.is_none());
    let admits = endpoint
        .security_groups
        .iter()
        .map(|group| {
            let sg = &model.security_groups[group.value];
            if sg.vpc != Some(target.vpc) {
                return Admits::Unknown; // V206, or its VPC is invalid
            }
            let cached = &mut cache[group.value.index()][slot];
            *cached.get_or_insert_with(|| target.group(sg))
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
    let first = format!("security_group.{}", groups[0].common.name);
    let message = if groups.len() == 1 {
        format!(
            "endpoint `{}` is unreachable from `{vpc_address}`: `{first}` admits no {what} from it",
            common.name
        )
    } else {
        format!(
            "endpoint `{}` is unreachable from `{vpc_address}`: none of its security groups admits {what} from it",
            common.name
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
}
