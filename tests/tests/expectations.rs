//! `check` and `plan` judge every expectation alike (ARCHITECTURE.md: `Verdict`
//! exists once, in vpce_reach). For every example and every fixture that the plan accepts (no
//! error but the expectations' own), each `expect` block the plan shows as `failed` has an
//! error of V900-V902 (or V305, which speaks for V900 about gateway endpoints) inside it,
//! one shown as `warning` a V903, one shown as `unknown` a V900 note, and one shown as
//! `met` none of these.

use vpce_diagnostics::{Code, Diagnostic, Severity};
use vpce_emit_plan::{plan, Options, Outcome, Previous};
use vpce_model::ValidModel;
use vpce_tests::{check_path, render, repo_root, sorted_entries};

/// Codes that judge expectations, as `check` reports them.
const EXPECTATION_CODES: &[Code] = &[
    Code::ExpectUnreachable,
    Code::ExpectNotPrivate,
    Code::ExpectReachable,
    Code::ExpectNeedsEndpointDns,
    Code::GatewayRemoteAccess,
];

/// What `check` says of the expectation whose block is `block`.
fn check_outcome(diagnostics: &[&Diagnostic], block: vpce_diagnostics::Span) -> Outcome {
    let inside: Vec<&&Diagnostic> = diagnostics
        .iter()
        .filter(|d| {
            d.labels.iter().any(|l| {
                l.span.file == block.file && block.start <= l.span.start && l.span.end <= block.end
            })
        })
        .collect();
    if inside.iter().any(|d| d.is_error()) {
        Outcome::Failed
    } else if inside
        .iter()
        .any(|d| d.code == Code::ExpectNeedsEndpointDns)
    {
        Outcome::Warning
    } else if inside
        .iter()
        .any(|d| d.code == Code::ExpectUnreachable && d.severity == Severity::Info)
    {
        Outcome::Unknown
    } else {
        Outcome::Met
    }
}

#[test]
fn check_and_plan_agree_on_every_expectation() {
    let mut inputs: Vec<_> = sorted_entries(&repo_root().join("examples"))
        .into_iter()
        .filter(|p| p.is_dir())
        .collect();
    for dir in sorted_entries(&repo_root().join("tests/fixtures")) {
        inputs.extend(
            sorted_entries(&dir)
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "hcl")),
        );
    }
    let (mut compared, mut planned) = (0, 0);
    let mut seen = std::collections::BTreeSet::new();
    for input in &inputs {
        let outcome = check_path(input);
        // The plan runs only on configurations whose errors are the expectations' own.
        if outcome
            .diagnostics
            .iter()
            .any(|d| d.is_error() && !EXPECTATION_CODES.contains(&d.code))
        {
            continue;
        }
        planned += 1;
        // Valid but for the expectations' findings, which the plan judges itself.
        let others: Vec<Diagnostic> = outcome
            .diagnostics
            .iter()
            .filter(|d| !EXPECTATION_CODES.contains(&d.code))
            .cloned()
            .collect();
        let model = ValidModel::new(&outcome.model, &others).expect("valid");
        let plan = plan(&model, Previous::Nothing, &Options::default());
        let diagnostics: Vec<&Diagnostic> = outcome
            .diagnostics
            .iter()
            .filter(|d| EXPECTATION_CODES.contains(&d.code))
            .collect();
        let judged: Vec<_> = outcome.model.expects.iter().collect();
        assert_eq!(plan.expectations.len(), judged.len(), "{}", input.display());
        for (expectation, (_, expect)) in plan.expectations.iter().zip(judged) {
            assert_eq!(expectation.name, expect.common.name);
            let from_check = check_outcome(&diagnostics, expect.common.span);
            assert_eq!(
                expectation.outcome,
                from_check,
                "{}: expectation `{}`: the plan says {:?} ({}), check says {:?}:\n{}",
                input.display(),
                expectation.name,
                expectation.outcome,
                expectation.message,
                from_check,
                render(&outcome)
            );
            seen.insert(expectation.outcome.as_str());
            compared += 1;
        }
    }
    assert!(planned >= 50, "planned {planned} configurations");
    assert!(compared >= 60, "compared {compared} expectations");
    // Every outcome occurs, so each branch of the comparison was exercised.
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        ["failed", "met", "unknown", "warning"]
    );
}
