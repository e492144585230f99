//! Judging an `expect` block: the one place where a path becomes a pass, a failure, a
//! warning or "not judged". The V900-V903 rules report the [`Finding`]; the plan shows
//! the [`Outcome`] and the message. So `check` and `plan` cannot disagree.
//!
//! How the verdicts beyond private/public/unreachable are judged:
//! - `pending` and `denied` fail `reachable = true` (V900, with the reason): nothing
//!   passes today. With `reachable = false`, `denied` meets the expectation (every
//!   request is refused), while `pending` fails it (V902): the path opens as soon as the
//!   service's owner accepts the connection, without any change to the configuration.
//! - `unknown` is not judged: V900 reports it as a note (severity info), and the plan
//!   shows `unknown` with the same reason.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use vpce_model::{Expect, Id, Kind};

use crate::{destination_address, expect_destination, Network, Reach, Source, Verdict};

/// Which rule reports an expectation that is not met.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// V900: `reachable = true` but no path gets through (unreachable, pending, denied).
    Unreachable,
    /// V901: `private = true` but the path leaves through an internet or NAT gateway.
    NotPrivate,
    /// V902: `reachable = false` but a path exists (or opens once accepted).
    Reachable,
    /// V903: private only through an interface endpoint's own DNS name.
    EndpointDnsOnly,
    /// V900 as a note: the path is `unknown`, so the expectation is not judged.
    NotJudged,
}

/// What became of an expectation, as the plan shows it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The expectation holds.
    Met,
    /// It does not (`check` reports an error: V900, V901 or V902).
    Failed,
    /// It holds only in part (`check` warns: V903).
    Warning,
    /// It cannot be judged: the path is `unknown` (`check` adds a note).
    Unknown,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::Failed => "failed",
            Outcome::Warning => "warning",
            Outcome::Unknown => "unknown",
        }
    }
}

/// An expectation judged against the network.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    /// `subnet.app_a`.
    pub from: String,
    /// `s3`, `internet`, `endpoint_service.api`.
    pub to: String,
    pub path: Reach,
    /// `None` when the expectation is met.
    pub finding: Option<Finding>,
}

impl Judgement {
    pub fn outcome(&self) -> Outcome {
        match self.finding {
            None => Outcome::Met,
            Some(Finding::EndpointDnsOnly) => Outcome::Warning,
            Some(Finding::NotJudged) => Outcome::Unknown,
            Some(Finding::Unreachable | Finding::NotPrivate | Finding::Reachable) => {
                Outcome::Failed
            }
        }
    }

    /// The path in words: "privately through `endpoint.s3`", "pending: ...".
    pub fn how(&self, model: &vpce_model::Model) -> String {
        let through = self
            .path
            .via
            .iter()
            .map(|o| format!("`{}`", model.address(*o)))
            .collect::<Vec<_>>()
            .join(", ");
        let how = describe(self.path.verdict, &through, &self.path.reason);
        // The internet is reached over the internet: say only through what.
        if self.to == "internet" {
            return how.replacen("over the internet ", "", 1);
        }
        how
    }

    /// One sentence for the plan: what happens and, when it is not met, why.
    pub fn message(&self, model: &vpce_model::Model) -> String {
        let (from, to) = (&self.from, &self.to);
        let reason = &self.path.reason;
        match (self.finding, self.path.verdict) {
            (Some(Finding::NotJudged), _) => {
                format!("not judged: whether `{from}` reaches `{to}` is unknown: {reason}")
            }
            (Some(Finding::EndpointDnsOnly), _) => format!(
                "`{from}` reaches `{to}` privately only through the endpoint's own DNS name (private DNS is off)"
            ),
            (Some(Finding::Unreachable), _) => {
                format!("`{from}` does not reach `{to}`: {reason}")
            }
            (Some(Finding::Reachable), _) => format!(
                "`{from}` reaches `{to}` {}, but `reachable = false`",
                self.how(model)
            ),
            (Some(Finding::NotPrivate), _) => format!(
                "`{from}` reaches `{to}` {}, but `private = true`",
                self.how(model)
            ),
            (None, Verdict::Private | Verdict::Public) => {
                format!("`{from}` reaches `{to}` {}", self.how(model))
            }
            (None, _) => format!("`{from}` does not reach `{to}`, as expected: {reason}"),
        }
    }
}

/// "privately through `endpoint.s3`", "over the internet through `nat_gateway.a`", and
/// for the other verdicts the verdict and its reason.
pub fn describe(verdict: Verdict, through: &str, reason: &str) -> String {
    match verdict {
        Verdict::Private => format!("privately through {through}"),
        Verdict::Public => format!("over the internet through {through}"),
        Verdict::Unreachable => format!("not at all: {reason}"),
        other => format!("{}: {reason}", other.as_str()),
    }
}

/// Judges `expect`; `None` when its ends were not resolved (already reported).
pub fn judge(network: &Network<'_>, expect: &Expect) -> Option<Judgement> {
    let model = network.model;
    let from = expect.from.as_ref()?.value;
    let source = match from.kind {
        Kind::Subnet => Source::Subnet(Id::new(from.index as usize)),
        Kind::RemoteNetwork => Source::Remote(Id::new(from.index as usize)),
        _ => return None,
    };
    let destination = expect_destination(&expect.to.as_ref()?.value)?;
    let path = network.reach(source, &destination);
    let wants_private = expect.private.as_ref().is_some_and(|p| p.value);
    let finding = match (expect.reachable, path.verdict) {
        (_, Verdict::Unknown) => Some(Finding::NotJudged),
        // Reachable only through the endpoint's own name: the warning says so, whatever
        // the service's usual name does.
        (true, _) if path.endpoint_dns_only.is_some() => Some(Finding::EndpointDnsOnly),
        (true, Verdict::Private) => None,
        (true, Verdict::Public) if wants_private => Some(Finding::NotPrivate),
        (true, Verdict::Public) => None,
        (true, Verdict::Pending | Verdict::Denied | Verdict::Unreachable) => {
            Some(Finding::Unreachable)
        }
        (false, Verdict::Unreachable | Verdict::Denied) => None,
        (false, Verdict::Private | Verdict::Public | Verdict::Pending) => Some(Finding::Reachable),
    };
    Some(Judgement {
        from: model.address(from),
        to: destination_address(model, &destination),
        path,
        finding,
    })
}
