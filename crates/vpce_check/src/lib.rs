//! The rules: V111, V113, V114 and V2xx-V9xx, one file each, registered in one list.
//!
//! Architecture invariant: a rule reads the model and reports; it never changes the
//! model and never depends on another rule having run.

pub mod net;
mod registry;
mod rules;
#[cfg(test)]
mod testing;
/// What an endpoint's `service` names (kept here under its old path for the rules).
pub use vpce_model::service;

use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{Expect, Model};
use vpce_reach::{judge, Judgement, Network};

pub use registry::{rules_index, RULES};

/// What a rule sees: the model (with its facts: parsed CIDRs, zones, resolved
/// services), the judgements computed once for every rule, and where to report.
pub struct RuleCx<'m> {
    pub model: &'m Model,
    /// Every expectation whose ends were resolved, judged once (the plan judges them with
    /// the same `vpce_reach::judge`).
    pub judgements: &'m [(&'m Expect, Judgement)],
    code: Code,
    diagnostics: Vec<Diagnostic>,
}

impl RuleCx<'_> {
    pub fn report(&mut self, diagnostic: Diagnostic) {
        debug_assert_eq!(
            diagnostic.code, self.code,
            "a rule reports only its own code"
        );
        self.diagnostics.push(diagnostic);
    }
}

/// One validation rule.
pub trait Rule: Sync {
    fn code(&self) -> Code;
    fn check(&self, cx: &mut RuleCx<'_>);
}

/// Runs every rule over a resolved model.
pub fn check(model: &Model) -> Vec<Diagnostic> {
    let network = Network::new(model);
    let judgements: Vec<(&Expect, Judgement)> = model
        .expects
        .iter()
        .filter_map(|(_, expect)| Some((expect, judge(&network, expect)?)))
        .collect();
    let mut diagnostics = Vec::new();
    for rule in RULES {
        let mut cx = RuleCx {
            model,
            judgements: &judgements,
            code: rule.code(),
            diagnostics: Vec::new(),
        };
        rule.check(&mut cx);
        diagnostics.append(&mut cx.diagnostics);
    }
    diagnostics
}

/// Codes of the catalogue whose rule has not landed yet: reserved, listed as planned
/// in the rules index and by `vpce explain`, and exempt from the page and fixture tests
/// until their rule lands (each landing removes its line here).
pub const PLANNED_CODES: &[Code] = &[];

/// Codes that the front end (syntax and model) reports while resolving, not a rule.
pub const FRONT_END_CODES: &[Code] = &[
    Code::SyntaxError,
    Code::UnknownBlock,
    Code::UnknownAttribute,
    Code::MissingAttribute,
    Code::TypeMismatch,
    Code::UnresolvedReference,
    Code::WrongReferenceKind,
    Code::DuplicateName,
    Code::InvalidValue,
    Code::MissingVariable,
    Code::Cycle,
    Code::FileAccess,
    Code::ValueTooLarge,
    Code::InvalidForEach,
    Code::InvalidModule,
    Code::KnownAfterDeploy,
];
