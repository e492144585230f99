//! Test support for the rules' unit tests: check a configuration given as text (one
//! `main.hcl`, as `vpce_driver::check_text` does) and look at what it reports.

use vpce_diagnostics::Diagnostic;

/// Every diagnostic of a configuration, in output order.
pub(crate) fn diagnostics_of(hcl: &str) -> Vec<Diagnostic> {
    vpce_driver::check_text(hcl).diagnostics
}

/// The code and the 1-based line of each diagnostic's primary label, in output order.
pub(crate) fn codes_and_lines(hcl: &str) -> Vec<(&'static str, usize)> {
    let outcome = vpce_driver::check_text(hcl);
    outcome
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), outcome.primary_line(d)))
        .collect()
}

/// The code of each diagnostic, in output order.
pub(crate) fn codes(hcl: &str) -> Vec<&'static str> {
    codes_and_lines(hcl).into_iter().map(|(c, _)| c).collect()
}

/// The 1-based lines of the primary labels of `code`'s diagnostics. Rules of other areas
/// may report other things on a rule's small configurations; the fixtures check that.
pub(crate) fn lines_of(code: &str, hcl: &str) -> Vec<usize> {
    codes_and_lines(hcl)
        .into_iter()
        .filter(|(c, _)| *c == code)
        .map(|(_, line)| line)
        .collect()
}

/// The first diagnostic of `code`, for checking its prose; panics if there is none.
pub(crate) fn first_of(code: &str, hcl: &str) -> Diagnostic {
    diagnostics_of(hcl)
        .into_iter()
        .find(|d| d.code.as_str() == code)
        .unwrap_or_else(|| panic!("no {code} diagnostic"))
}
