//! One cause, one diagnostic: a typical typo in an otherwise clean configuration gives
//! exactly its own diagnostic (V102 for a misspelt attribute, V105 for a reference to
//! nothing), not the rules and expectations that would follow from it. What depends on
//! the misspelt attribute is not judged: expectations through it carry an info note
//! saying why, never V900.

use vpce_diagnostics::Severity;
use vpce_tests::repo_root;

/// `(what, find, replace, the one code)`.
const TYPOS: &[(&str, &str, &str, &str)] = &[
    (
        "a VPC attribute",
        "dns_hostnames = true",
        "dns_hostname  = true",
        "V102",
    ),
    (
        "a gateway endpoint's route tables",
        "  route_tables = [route_table.private]",
        "  route_table  = [route_table.private]",
        "V102",
    ),
    (
        "an interface endpoint's subnets",
        "  subnets         = [subnet.app_a, subnet.app_b]",
        "  subnet          = [subnet.app_a, subnet.app_b]",
        "V102",
    ),
    (
        "a required attribute",
        "  service      = \"s3\"",
        "  servce       = \"s3\"",
        "V102",
    ),
    (
        "a CloudFormation spelling",
        "  cidr          = \"10.0.0.0/16\"",
        "  cidr_block    = \"10.0.0.0/16\"",
        "V102",
    ),
    (
        "a reference",
        "  vpc         = vpc.main\n  az          = \"euw1-az1\"",
        "  vpc         = vpc.mian\n  az          = \"euw1-az1\"",
        "V105",
    ),
];

fn base() -> String {
    std::fs::read_to_string(repo_root().join("tests/typos/base.hcl")).unwrap()
}

/// Errors and warnings, as `(code, message)`; info notes are counted apart.
fn findings(text: &str) -> (Vec<(String, String)>, Vec<String>) {
    let outcome = vpce_driver::check_text(text);
    let mut shown = Vec::new();
    let mut notes = Vec::new();
    for d in outcome.diagnostics {
        if d.severity == Severity::Info {
            notes.push(d.message);
        } else {
            shown.push((d.code.as_str().to_string(), d.message));
        }
    }
    (shown, notes)
}

#[test]
fn the_base_configuration_is_clean() {
    let (shown, notes) = findings(&base());
    assert!(shown.is_empty() && notes.is_empty(), "{shown:?} {notes:?}");
}

#[test]
fn each_typo_gives_exactly_one_diagnostic() {
    let base = base();
    for (what, find, replace, code) in TYPOS {
        assert_eq!(
            base.matches(find).count(),
            1,
            "{what}: `{find}` once in the base"
        );
        let text = base.replacen(find, replace, 1);
        let (shown, notes) = findings(&text);
        assert_eq!(
            shown.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
            [*code],
            "{what}: {shown:?}"
        );
        for note in notes {
            assert!(note.contains("not judged"), "{what}: {note}");
        }
    }
}

/// The report: two typos gave four errors and a warning.
#[test]
fn two_typos_give_two_diagnostics() {
    let text = base()
        .replacen("dns_hostnames = true", "dns_hostname  = true", 1)
        .replacen(
            "  route_tables = [route_table.private]",
            "  route_table  = [route_table.private]",
            1,
        );
    let (shown, _) = findings(&text);
    assert_eq!(
        shown.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
        ["V102", "V102"],
        "{shown:?}"
    );
}
