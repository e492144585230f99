use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::SecurityGroupRule;

use crate::{Rule, RuleCx};

/// AWS's default quota of inbound, and of outbound, rules per security group.
const RULES_PER_GROUP: usize = 60;
/// AWS's default quota of security groups per network interface.
const GROUPS_PER_INTERFACE: usize = 5;

/// V212: a security group past AWS's default rule quota, or an endpoint with more
/// security groups than a network interface takes.
///
/// Amazon VPC quotas (<https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups>):
/// 60 inbound and 60 outbound rules per security group, enforced separately for IPv4
/// and IPv6, where a rule that references a security group counts once for each; and 5
/// security groups per network interface. Both are adjustable (their product may not
/// pass 1,000), so this is a warning: the deployment fails unless the account's quota
/// was raised. vpce's rule lists several CIDRs or groups; AWS counts each one.
pub struct SecurityGroupRuleQuota;

/// AWS rules of one direction: (IPv4, IPv6).
fn count(rules: &[SecurityGroupRule]) -> (usize, usize) {
    let mut v4 = 0;
    let mut v6 = 0;
    for rule in rules {
        for cidr in &rule.cidrs {
            if cidr.value.contains(':') {
                v6 += 1;
            } else {
                v4 += 1;
            }
        }
        v4 += rule.security_groups.len();
        v6 += rule.security_groups.len();
    }
    (v4, v6)
}

impl Rule for SecurityGroupRuleQuota {
    fn code(&self) -> Code {
        Code::SecurityGroupRuleQuota
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        for (_, group) in model.security_groups.iter() {
            for (direction, rules) in [("inbound", &group.ingress), ("outbound", &group.egress)] {
                let (v4, v6) = count(rules);
                let (family, n) = if v4 >= v6 { ("IPv4", v4) } else { ("IPv6", v6) };
                if n <= RULES_PER_GROUP {
                    continue;
                }
                cx.report(
                    Diagnostic::new(
                        Code::SecurityGroupRuleQuota,
                        format!(
                            "security group `{}` has {n} {direction} {family} rules, more than AWS's default quota of {RULES_PER_GROUP}",
                            group.common.shown()
                        ),
                    )
                    .with_label(group.common.name_span, format!("each CIDR and source group is one AWS rule: {n} {direction} {family} rules"))
                    .with_help("split the rules over several security groups, use wider CIDRs or a prefix list, or raise the account's quota first"),
                );
            }
        }
        for (_, endpoint) in model.endpoints.iter() {
            let n = endpoint.security_groups.len();
            if n <= GROUPS_PER_INTERFACE {
                continue;
            }
            let extra = &endpoint.security_groups[GROUPS_PER_INTERFACE];
            cx.report(
                Diagnostic::new(
                    Code::SecurityGroupRuleQuota,
                    format!(
                        "endpoint `{}` has {n} security groups, more than AWS's default quota of {GROUPS_PER_INTERFACE} per network interface",
                        endpoint.common.shown()
                    ),
                )
                .with_label(extra.span, "the sixth security group")
                .with_help("merge the groups' rules into fewer groups, or raise the account's quota first"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    fn v212(hcl: &str) -> Vec<usize> {
        codes_and_lines(hcl)
            .into_iter()
            .filter(|(c, _)| *c == "V212")
            .map(|(_, line)| line)
            .collect()
    }

    fn group(ingress: usize, cidrs_per_rule: usize) -> String {
        let mut hcl = String::from(
            "region = \"eu-west-1\"\nvpc \"main\" {\n  cidr = \"10.0.0.0/16\"\n}\nsecurity_group \"app\" {\n  vpc = vpc.main\n",
        );
        for i in 0..ingress {
            let cidrs: Vec<String> = (0..cidrs_per_rule)
                .map(|j| format!("\"10.{i}.{j}.0/24\""))
                .collect();
            hcl.push_str(&format!(
                "  ingress {{\n    protocol = \"tcp\"\n    ports    = 443\n    cidrs    = [{}]\n  }}\n",
                cidrs.join(", ")
            ));
        }
        hcl.push_str("}\n");
        hcl
    }

    #[test]
    fn sixty_rules_pass_sixty_one_do_not() {
        assert_eq!(v212(&group(60, 1)), Vec::<usize>::new());
        assert_eq!(v212(&group(61, 1)), [5]);
    }

    #[test]
    fn each_cidr_of_a_rule_counts() {
        assert_eq!(v212(&group(20, 3)), Vec::<usize>::new());
        assert_eq!(v212(&group(21, 3)), [5]);
    }
}
