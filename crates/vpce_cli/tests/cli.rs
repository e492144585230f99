//! The command line as a user meets it: output, exit codes, errors.

use std::process::Command;

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

fn vpce() -> Command {
    let mut command = Command::new(get_cargo_bin("vpce"));
    command.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    command.env_remove("NO_COLOR").env("COLUMNS", "80");
    command
}

#[test]
fn check_quickstart_succeeds() {
    assert_cmd_snapshot!(vpce().args(["check", "examples/quickstart"]));
}

#[test]
fn check_reports_errors_with_source_and_help() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.hcl"),
        "region = \"eu-west-1\"\n\nvpc \"main\" {\n  cidr = \"10.0.0.0/16\"\n}\n\nsubnet \"app_a\" {\n  vpc  = vpc.mian\n  az   = \"euw1-az1\"\n  cidr = \"10.0.1.0/24\"\n}\n",
    )
    .unwrap();
    let output = vpce()
        .arg("check")
        .arg(dir.path().join("main.hcl"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stdout = stdout.replace(&dir.path().display().to_string(), "[DIR]");
    insta::assert_snapshot!(stdout);
}

#[test]
fn check_json_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.hcl"),
        "region = \"eu-west-1\"\nvpc \"main\" {\n  cidr = \"10.0.0.1/16\"\n}\nvpc \"main\" {\n  cidr = \"10.1.0.0/16\"\n}\n",
    )
    .unwrap();
    let output = vpce()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(json["summary"]["errors"], 2);
    assert_eq!(json["summary"]["warnings"], 0);
    // Sorted by file, then offset: the host-bits CIDR (line 3) before the duplicate (line 5).
    let first = &diagnostics[0];
    assert_eq!(first["code"], "V200");
    assert_eq!(first["name"], "invalid-cidr");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "main.hcl");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(3), Some(10))
    );
    assert_eq!(first["span"]["start"], 43);
    assert_eq!(first["span"]["end"], 56);
    assert_eq!(first["help"], "write `10.0.0.0/16`");
    let duplicate = &diagnostics[1];
    assert_eq!(duplicate["code"], "V107");
    let labels = duplicate["labels"].as_array().unwrap();
    assert_eq!(labels.len(), 2, "both definitions are labelled");
    assert_eq!(labels[0]["line"], 5);
    assert_eq!(labels[1]["line"], 2);
    for d in diagnostics {
        for key in [
            "code", "name", "severity", "message", "file", "line", "column", "span", "labels",
            "help",
        ] {
            assert!(d.get(key).is_some(), "missing `{key}` in {d}");
        }
    }
}

#[test]
fn json_output_is_byte_identical_across_runs() {
    let run = || {
        vpce()
            .args([
                "check",
                "--format",
                "json",
                "tests/fixtures/V203-subnet-overlap/fail.hcl",
            ])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn var_flags_bind_variables() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.hcl"),
        "variable \"region\" { type = string }\nvariable \"cidrs\" { type = list(string) }\nregion = var.region\nvpc \"main\" {\n  cidr = var.cidrs[0]\n}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("prod.vars"), "cidrs = [\"10.9.0.0/16\"]\n").unwrap();
    let ok = vpce()
        .args(["check", "--var", "region=eu-west-1", "--var-file"])
        .arg(dir.path().join("prod.vars"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let missing = vpce().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(missing.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&missing.stdout);
    assert!(stdout.contains("V109"), "{stdout}");
    assert!(stdout.contains("--var region=VALUE"), "{stdout}");
}

#[test]
fn explain_prints_the_rule_page() {
    assert_cmd_snapshot!(vpce().args(["explain", "subnet-overlap"]));
}

#[test]
fn explain_unknown_rule_is_a_usage_error() {
    assert_cmd_snapshot!(vpce().args(["explain", "V2O3"]));
}

#[test]
fn missing_path_is_a_usage_error() {
    assert_cmd_snapshot!(vpce().args(["check", "does/not/exist"]));
}

#[test]
fn bad_var_flag_is_a_usage_error() {
    assert_cmd_snapshot!(vpce().args(["check", "examples/quickstart", "--var", "novalue"]));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let output = vpce()
        .args(["check", "--fromat", "json", "examples/quickstart"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--format"));
}

#[test]
fn help_shows_examples() {
    assert_cmd_snapshot!(vpce().args(["check", "--help"]));
}

/// An external tool the test needs; in CI (`CI=true`) its absence is a failure.
fn external(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(value) if !value.is_empty() => Some(value),
        _ if std::env::var_os("CI").is_some() => {
            panic!("{var} is not set: run the tests with `bash scripts/test`")
        }
        _ => {
            eprintln!("SKIPPED: {var} is not set; `bash scripts/test` sets it");
            None
        }
    }
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let (Some(python), Some(schema)) =
        (external("VPCE_TEST_PYTHON"), external("VPCE_SARIF_SCHEMA"))
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, target) in [
        (
            "findings.sarif",
            "tests/fixtures/V204-az-region-mismatch/fail.hcl",
        ),
        ("clean.sarif", "examples/quickstart"),
    ] {
        let output = vpce()
            .args(["check", "--format", "sarif", target])
            .output()
            .unwrap();
        let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let run = &log["runs"][0];
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().unwrap().len(),
            74,
            "one rule per code"
        );
        let path = dir.path().join(name);
        std::fs::write(&path, &output.stdout).unwrap();
        let validate = Command::new(&python)
            .args([
                "-c",
                "import json, sys, jsonschema\n\
                 schema = json.load(open(sys.argv[1]))\n\
                 jsonschema.validators.validator_for(schema)(schema).validate(json.load(open(sys.argv[2])))",
            ])
            .arg(&schema)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            validate.status.success(),
            "{target}: {}",
            String::from_utf8_lossy(&validate.stderr)
        );
    }
    let findings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("findings.sarif")).unwrap())
            .unwrap();
    let result = &findings["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "V204");
    assert_eq!(result["level"], "error");
    let rules = findings["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], "V204");
    assert!(rule["help"]["markdown"]
        .as_str()
        .unwrap()
        .starts_with("# V204: az-region-mismatch"));
    assert!(rule["helpUri"]
        .as_str()
        .unwrap()
        .ends_with("docs/rules/V204-az-region-mismatch.md"));
}

#[test]
fn github_annotations() {
    assert_cmd_snapshot!(vpce().args([
        "check",
        "--format",
        "github",
        "tests/fixtures/V205-az-name-not-id/fail.hcl"
    ]));
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let file = "tests/fixtures/V205-az-name-not-id/fail.hcl";
    let lenient = vpce().args(["check", file]).output().unwrap();
    assert_eq!(lenient.status.code(), Some(0), "warnings alone pass");
    let strict = vpce()
        .args(["check", "--deny", "warnings", file])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn build_writes_templates_and_a_manifest() {
    let out = tempfile::tempdir().unwrap();
    let output = vpce()
        .args(["build", "examples/quickstart", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["stacks"][0]["file"], "vpce.json");
    let template: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("vpce.json")).unwrap())
            .unwrap();
    assert_eq!(
        template["Resources"]["EndpointSecrets"]["Properties"]["PrivateDnsEnabled"],
        true
    );
    let yaml = vpce()
        .args(["build", "examples/quickstart", "--format", "yaml", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(yaml.status.code(), Some(0));
    assert!(std::fs::read_to_string(out.path().join("vpce.yaml"))
        .unwrap()
        .contains("!Ref VpcMain"));
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("vpce-tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn build_with_errors_writes_nothing_and_keeps_what_was_there() {
    let config = tempfile::tempdir().unwrap();
    std::fs::write(
        config.path().join("main.hcl"),
        "region = \"eu-west-1\"\nvpc \"main\" {\n  cidr = \"10.0.0.1/16\"\n}\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("vpce.json"), "previous template").unwrap();
    let output = vpce()
        .arg("build")
        .arg(config.path())
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("V200"),
        "errors are printed as check prints them"
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("vpce.json")).unwrap(),
        "previous template"
    );
    assert!(!out.path().join("manifest.json").exists());
}

#[test]
fn build_into_an_unwritable_place_is_a_usage_error() {
    let out = tempfile::tempdir().unwrap();
    let blocker = out.path().join("file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let output = vpce()
        .args(["build", "examples/quickstart", "-o"])
        .arg(&blocker)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&blocker).unwrap(),
        "not a directory"
    );
}
