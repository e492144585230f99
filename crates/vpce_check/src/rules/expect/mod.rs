//! Expectations (V900-V903): `expect` blocks checked against the simulated network.

mod expect_needs_endpoint_dns;
mod expect_not_private;
mod expect_reachable;
mod expect_unreachable;

pub use expect_needs_endpoint_dns::ExpectNeedsEndpointDns;
pub use expect_not_private::ExpectNotPrivate;
pub use expect_reachable::ExpectReachable;
pub use expect_unreachable::ExpectUnreachable;

use vpce_model::{Expect, Kind, Model};
use vpce_reach::{expect_destination, reach, Reach, Source};

/// The path an expectation is about, or `None` when its ends were not resolved.
pub(crate) fn expected_path(model: &Model, expect: &Expect) -> Option<Reach> {
    let from = expect.from.as_ref()?.value;
    let source = match from.kind {
        Kind::Subnet => {
            let id = vpce_model::Id::new(from.index as usize);
            let subnet = &model.subnets[id];
            // An existing subnet's route table is unknown unless written: no verdict.
            if subnet.common.is_existing() && subnet.route_table.is_none() {
                return None;
            }
            Source::Subnet(id)
        }
        Kind::RemoteNetwork => Source::Remote(vpce_model::Id::new(from.index as usize)),
        _ => return None,
    };
    let destination = expect_destination(&expect.to.as_ref()?.value)?;
    Some(reach(model, source, &destination))
}

/// `subnet.app_a` → `s3`, for messages.
pub(crate) fn describe(model: &Model, expect: &Expect) -> (String, String) {
    let from = expect
        .from
        .as_ref()
        .map_or_else(String::new, |f| model.address(f.value));
    let to = expect
        .to
        .as_ref()
        .and_then(|t| expect_destination(&t.value));
    let to = to.map_or_else(String::new, |d| vpce_reach::destination_address(model, &d));
    (from, to)
}

/// "through `endpoint.s3`" or "through `nat_gateway.a`, `internet_gateway.main`".
pub(crate) fn via(model: &Model, path: &Reach) -> String {
    path.via
        .iter()
        .map(|o| format!("`{}`", model.address(*o)))
        .collect::<Vec<_>>()
        .join(", ")
}
