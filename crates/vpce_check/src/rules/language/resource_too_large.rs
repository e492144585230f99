use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{resources::resources, Kind, Model, ObjRef, Policy};

use crate::{Rule, RuleCx};

/// CloudFormation's largest template body (uploaded through S3), as vpce's splitter
/// counts it.
const TEMPLATE_BYTES: usize = 1_000_000;
/// Room a stack needs around one resource: the template's header, and the outputs
/// and exports of the resource.
const TEMPLATE_OVERHEAD: usize = 20_000;

/// V119: one object whose CloudFormation resources cannot fit in any template.
///
/// The splitter spreads resources over stacks, but one resource cannot be split: a tag
/// of a megabyte or a security group with ten thousand rules would make `build` fail.
/// The size is estimated from the object's evaluated values, each string counted as
/// JSON escapes it, with generous room for the JSON around it, so the estimate is not
/// below the body `build` writes.
pub struct ResourceTooLarge;

impl Rule for ResourceTooLarge {
    fn code(&self) -> Code {
        Code::ResourceTooLarge
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let mut owners: Vec<ObjRef> = resources(model).iter().map(|r| r.owner).collect();
        owners.dedup();
        for obj in owners {
            let bytes = estimate(model, obj);
            if bytes + TEMPLATE_OVERHEAD <= TEMPLATE_BYTES {
                continue;
            }
            let common = model.common(obj);
            cx.report(
                Diagnostic::new(
                    Code::ResourceTooLarge,
                    format!(
                        "`{}` would be about {} KB of CloudFormation, more than a template holds (1 MB)",
                        model.address(obj),
                        bytes / 1000
                    ),
                )
                .with_label(common.name_span, "this object's resource cannot fit in a stack")
                .with_help(largest_part(model, obj)),
            );
        }
    }
}

/// Bytes of `text` as a JSON string, quotes included.
fn json_len(text: &str) -> usize {
    serde_json::to_string(text).map_or(text.len() * 6 + 2, |s| s.len())
}

/// Pretty JSON puts every item on its own indented line: room for that, per item.
const ITEM: usize = 80;

fn tags_bytes(model: &Model, obj: ObjRef) -> usize {
    let common = model.common(obj);
    model
        .default_tags
        .iter()
        .chain(&common.tags)
        .map(|(k, v)| json_len(k) + json_len(v) + ITEM)
        .sum::<usize>()
        + json_len(&common.name)
        + ITEM
}

fn rules_bytes(rules: &[vpce_model::SecurityGroupRule]) -> usize {
    rules
        .iter()
        .map(|rule| {
            // vpce writes a description when none is given: room for it.
            let description = rule
                .description
                .as_ref()
                .map_or(ITEM, |d| json_len(&d.value));
            // CloudFormation has one rule per CIDR or source group, each an object of
            // five or six indented lines.
            let sources = (rule.cidrs.len() + rule.security_groups.len()).max(1);
            sources * (description + 200)
                + rule.cidrs.iter().map(|c| json_len(&c.value)).sum::<usize>()
        })
        .sum()
}

fn policy_bytes(policy: Option<&vpce_model::Spanned<Policy>>) -> usize {
    match policy.map(|p| &p.value) {
        // Pretty printing at depth adds indentation to every line: count it twice.
        Some(Policy::Document(document)) => {
            2 * serde_json::to_string_pretty(document).map_or(0, |s| s.len())
        }
        Some(Policy::Json(text)) => 2 * text.len(),
        None => 0,
    }
}

/// An upper estimate of the JSON of the object's resources.
fn estimate(model: &Model, obj: ObjRef) -> usize {
    let index = obj.index as usize;
    let base = 2 * ITEM * 10 + tags_bytes(model, obj);
    base + match obj.kind {
        Kind::SecurityGroup => {
            let group = &model.security_groups[vpce_model::Id::new(index)];
            rules_bytes(&group.ingress)
                + rules_bytes(&group.egress)
                + group.description.as_ref().map_or(0, |d| json_len(&d.value))
        }
        Kind::Endpoint => {
            let endpoint = &model.endpoints[vpce_model::Id::new(index)];
            policy_bytes(endpoint.policy.as_ref())
                + ITEM
                    * (endpoint.subnets.len()
                        + endpoint.route_tables.len()
                        + endpoint.security_groups.len())
        }
        Kind::EndpointService => {
            let service = &model.endpoint_services[vpce_model::Id::new(index)];
            service
                .allowed_principals
                .iter()
                .chain(&service.supported_regions)
                .map(|p| json_len(&p.value) + ITEM)
                .sum::<usize>()
                + service
                    .private_dns_name
                    .as_ref()
                    .map_or(0, |n| json_len(&n.value))
        }
        Kind::RouteTable => {
            let table = &model.route_tables[vpce_model::Id::new(index)];
            table.routes.len() * 4 * ITEM
        }
        _ => 0,
    }
}

/// The help: what makes the object large, and what to do about it.
fn largest_part(model: &Model, obj: ObjRef) -> String {
    let tags = tags_bytes(model, obj);
    let rest = estimate(model, obj) - tags;
    if tags >= rest {
        return "shorten its tags: AWS allows 50 tags per resource, keys of 128 and values of 256 characters".into();
    }
    match obj.kind {
        Kind::SecurityGroup => {
            "split its rules over several security groups, or use prefix lists or wider CIDRs"
                .into()
        }
        Kind::Endpoint => {
            "shorten its policy: AWS limits an endpoint policy to 20,480 characters".into()
        }
        _ => "make its values smaller".into(),
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    fn v119(hcl: &str) -> Vec<usize> {
        codes_and_lines(hcl)
            .into_iter()
            .filter(|(c, _)| *c == "V119")
            .map(|(_, line)| line)
            .collect()
    }

    const VPC: &str = "region = \"eu-west-1\"\nvpc \"main\" {\n  cidr = \"10.0.0.0/16\"\n}\n";

    #[test]
    fn a_megabyte_tag() {
        let hcl = format!(
            "{VPC}security_group \"big\" {{\n  vpc = vpc.main\n  tags = {{ Note = \"{}\" }}\n}}\n",
            "x".repeat(1_100_000)
        );
        assert_eq!(v119(&hcl), [5]);
    }

    #[test]
    fn thousands_of_rules() {
        let mut hcl = format!("{VPC}security_group \"big\" {{\n  vpc = vpc.main\n");
        for i in 0..8000 {
            hcl.push_str(&format!(
                "  ingress {{\n    protocol = \"tcp\"\n    ports    = 443\n    cidrs    = [\"10.{}.{}.0/24\"]\n  }}\n",
                i / 256,
                i % 256
            ));
        }
        hcl.push_str("}\n");
        assert_eq!(v119(&hcl), [5]);
    }

    #[test]
    fn ordinary_objects_pass() {
        let hcl = format!(
            "{VPC}security_group \"app\" {{\n  vpc = vpc.main\n  tags = {{ Note = \"{}\" }}\n}}\n",
            "x".repeat(256)
        );
        assert_eq!(v119(&hcl), Vec::<usize>::new());
    }
}
