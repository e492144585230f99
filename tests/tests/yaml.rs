//! YAML means what JSON means: templates whose keys and strings are drawn from what
//! YAML readers treat specially are written as YAML and read back by a YAML 1.1 reader
//! (PyYAML), a YAML 1.2 reader (ruamel.yaml) and cfn-lint's reader; each must load
//! exactly the JSON template. Seeded: a failure reproduces.

use std::{fs, process::Command};

use serde_json::{json, Map, Value};
use vpce_tests::{external_tool, repo_root, Rng};

/// Keys and strings that YAML 1.1 or 1.2 readers would turn into something else, or
/// that break a line-based writer.
const TOKENS: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Y",
    "N",
    "Yes",
    "NO",
    "On",
    "OFF",
    "~",
    "null",
    "Null",
    "NULL",
    "true",
    "True",
    "FALSE",
    "0o17",
    "012",
    "0x1F",
    "1e3",
    "1E3",
    "-1",
    "+1",
    ".5",
    "-.5",
    "1.",
    "1_000",
    "12:30",
    "190:20:30",
    ".inf",
    "-.Inf",
    ".NaN",
    "2024-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "<<",
    "=",
    ":",
    "#",
    "&a",
    "*a",
    "!",
    "!Ref",
    "---",
    "...",
    "- a",
    "? a",
    "a: b",
    "a #b",
    "a:",
    "[a]",
    "{a}",
    "%x",
    "@x",
    "`x",
    "'",
    "\"",
    "'a'",
    "\"a\"",
    "",
    " ",
    " a",
    "a ",
    "\ta",
    "a\tb",
    "a\nb",
    "a\n",
    "\n",
    "a\r\nb",
    "é",
    "日本",
    "🦀",
    "\u{1}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\\",
    "\\n",
    "enabled: yes",
    "10.0.0.0/16",
    "10.0.0.1",
    "arn:aws:iam::1:root",
    "${AWS::Region}",
    "a.b",
    "Ref",
    "Fn::Sub",
    "0",
    "00",
    "1",
    "-0",
    "plain words",
];

fn token(rng: &mut Rng) -> String {
    match rng.below(12) {
        // Two tokens glued, or a long key past YAML's 1024-character implicit keys.
        0 => format!(
            "{}{}",
            TOKENS[rng.below(TOKENS.len())],
            TOKENS[rng.below(TOKENS.len())]
        ),
        1 => format!(
            "{} {}",
            TOKENS[rng.below(TOKENS.len())],
            TOKENS[rng.below(TOKENS.len())]
        ),
        2 if rng.below(10) == 0 => "k".repeat(1100),
        _ => TOKENS[rng.below(TOKENS.len())].to_string(),
    }
}

fn number(rng: &mut Rng) -> Value {
    match rng.below(6) {
        0 => json!(rng.below(70_000)),
        1 => json!(-(rng.below(1000) as i64)),
        2 => json!(1e300),
        3 => json!(-0.5),
        4 => json!(1.5e-7),
        _ => json!(u64::MAX),
    }
}

fn value(rng: &mut Rng, depth: usize) -> Value {
    let pick = if depth >= 3 {
        rng.below(5)
    } else {
        rng.below(10)
    };
    match pick {
        0 | 1 => Value::String(token(rng)),
        2 => number(rng),
        3 => json!(rng.below(2) == 0),
        4 => Value::Null,
        5 => {
            let items = rng.below(4);
            Value::Array((0..items).map(|_| value(rng, depth + 1)).collect())
        }
        6 => match rng.below(4) {
            0 => json!({"Ref": token(rng)}),
            1 => json!({"Fn::GetAtt": [token(rng), token(rng)]}),
            2 => json!({"Fn::Sub": token(rng)}),
            _ => json!({"Fn::Join": [token(rng), [token(rng), {"Ref": token(rng)}]]}),
        },
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.below(5) {
                map.insert(token(rng), value(rng, depth + 1));
            }
            Value::Object(map)
        }
    }
}

#[test]
fn yaml_readers_load_exactly_the_json_template() {
    let Some(python) = external_tool("VPCE_TEST_PYTHON") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x5eed_0000_7a31_0001);
    let templates = 400;
    for i in 0..templates {
        let mut template = Map::new();
        template.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
        for _ in 0..1 + rng.below(6) {
            template.insert(token(&mut rng), value(&mut rng, 0));
        }
        let template = Value::Object(template);
        let yaml = vpce_emit_cfn::yaml::to_yaml(&template);
        // The reader vpce's own tests use agrees too.
        assert_eq!(
            vpce_emit_cfn::yaml::from_yaml(&yaml).as_ref(),
            Ok(&template),
            "template {i}:\n{yaml}"
        );
        fs::write(
            dir.path().join(format!("t{i:04}.json")),
            template.to_string(),
        )
        .unwrap();
        fs::write(dir.path().join(format!("t{i:04}.yaml")), yaml).unwrap();
    }
    let output = Command::new(python)
        .arg(repo_root().join("tests/cfn/yaml_readers.py"))
        .arg(dir.path())
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{report}");
    assert!(
        report.contains(&format!(
            "{templates} templates read by 3 YAML readers, 0 differences"
        )),
        "{report}"
    );
}
