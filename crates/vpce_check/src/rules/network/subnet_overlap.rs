use ipnet::Ipv4Net;
use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{Id, Subnet};

use crate::{Rule, RuleCx};

/// V203: two subnets of one VPC whose CIDRs overlap.
///
/// Subnets are sorted by start address per VPC, so each one is compared only with the
/// open blocks before it: n·log n, not n².
pub struct SubnetOverlap;

impl Rule for SubnetOverlap {
    fn code(&self) -> Code {
        Code::SubnetOverlap
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let mut by_vpc: std::collections::BTreeMap<_, Vec<(Ipv4Net, Id<Subnet>)>> =
            Default::default();
        for (id, subnet) in model.subnets.iter() {
            let (Some(vpc), Some(cidr)) = (subnet.vpc, &subnet.cidr) else {
                continue;
            };
            let Some(net) = cidr.v4() else {
                continue;
            };
            // A subnet outside its VPC is V202's finding, not an overlap.
            let vpc_net = model.vpcs[vpc].cidr.as_ref().and_then(|c| c.v4());
            if vpc_net.is_some_and(|v| v.contains(&net)) {
                by_vpc.entry(vpc).or_default().push((net, id));
            }
        }
        for (_, mut subnets) in by_vpc {
            // Sort by start, larger blocks first, then source order.
            subnets.sort_by_key(|(net, id)| (net.network(), net.prefix_len(), *id));
            // The block reaching furthest so far; any later block starting inside it overlaps.
            let mut widest: Option<(Ipv4Net, Id<Subnet>)> = None;
            for (net, id) in subnets {
                if let Some((open, open_id)) = widest {
                    if net.network() <= open.broadcast() {
                        let (a, b) = if open_id < id {
                            (open_id, id)
                        } else {
                            (id, open_id)
                        };
                        let (first, second) = (&model.subnets[a], &model.subnets[b]);
                        let (Some(first_cidr), Some(second_cidr)) = (&first.cidr, &second.cidr)
                        else {
                            continue;
                        };
                        cx.report(
                            Diagnostic::new(
                                Code::SubnetOverlap,
                                format!(
                                    "subnet `{}` overlaps subnet `{}`",
                                    second.common.shown(), first.common.shown()
                                ),
                            )
                            .with_label(second_cidr.span, format!("{} overlaps…", second_cidr.value))
                            .with_label(first_cidr.span, format!("…{} here", first_cidr.value))
                            .with_help("give each subnet of a VPC its own block, e.g. `cidrsubnet(vpc.NAME.cidr, 8, N)` with a different N"),
                        );
                        if net.broadcast() <= open.broadcast() {
                            continue;
                        }
                    }
                }
                if widest.is_none_or(|(open, _)| net.broadcast() > open.broadcast()) {
                    widest = Some((net, id));
                }
            }
        }
    }
}
