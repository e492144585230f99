//! The command line as a user meets it: output, exit codes, errors.

use std::process::Command;

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

fn vpce() -> Command {
    let mut command = Command::new(get_cargo_bin("vpce"));
    command.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    command
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "80");
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

/// A configuration in `net/` with a variable, run from its parent directory.
fn var_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("net")).unwrap();
    std::fs::write(
        dir.path().join("net/main.hcl"),
        "variable \"cidr\" { type = string }\nregion = \"eu-west-1\"\nvpc \"main\" {\n  cidr = var.cidr\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("prod.vars"),
        "cidr = \"10.0.0.0/16\"\nzone = \"x\"\n",
    )
    .unwrap();
    dir
}

fn check_in(dir: &std::path::Path, format: &str, extra: &[&str]) -> String {
    let output = vpce()
        .current_dir(dir)
        .args(["check", "net", "--format", format])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn var_file_findings_point_at_the_file_as_given_in_every_format() {
    let dir = var_workspace();
    let given = ["--var-file", "./prod.vars"];
    let human = check_in(dir.path(), "human", &given);
    assert!(human.contains("╭─[./prod.vars:2:1]"), "{human}");
    let json: serde_json::Value =
        serde_json::from_str(&check_in(dir.path(), "json", &given)).unwrap();
    assert_eq!(json["diagnostics"][0]["file"], "./prod.vars");
    let github = check_in(dir.path(), "github", &given);
    assert!(github.contains("file=./prod.vars,line=2,"), "{github}");
    let sarif: serde_json::Value =
        serde_json::from_str(&check_in(dir.path(), "sarif", &given)).unwrap();
    let location = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "prod.vars");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(location["region"]["startLine"], 2);
}

#[test]
fn var_flag_findings_name_the_flag_not_a_file() {
    let dir = var_workspace();
    let flags = ["--var", "cidr=10.0.0.0/16", "--var", "zone=x"];
    let human = check_in(dir.path(), "human", &flags);
    assert!(human.contains("╭─[--var zone=...:1:1]"), "{human}");
    assert!(!human.contains("net/--var"), "{human}");
    let json: serde_json::Value =
        serde_json::from_str(&check_in(dir.path(), "json", &flags)).unwrap();
    assert_eq!(json["diagnostics"][0]["file"], "--var zone=...");
    let github = check_in(dir.path(), "github", &flags);
    assert!(github.starts_with("::error title=V105 "), "{github}");
    assert!(
        github.contains("::`--var zone=...`: a value is given"),
        "{github}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&check_in(dir.path(), "sarif", &flags)).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert!(result.get("locations").is_none(), "{result}");
    assert!(result["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("`--var zone=...`: "));
}

#[test]
fn a_var_file_that_is_a_configuration_file_is_refused() {
    let dir = var_workspace();
    std::fs::rename(
        dir.path().join("prod.vars"),
        dir.path().join("net/prod.vars.hcl"),
    )
    .unwrap();
    let output = vpce()
        .current_dir(dir.path())
        .args(["check", "net", "--var-file", "net/prod.vars.hcl"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("is also a configuration file") && stderr.contains("`prod.vars`"),
        "{stderr}"
    );
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
    let unlock = vpce().args(["unlock", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&unlock.stdout);
    assert!(
        text.contains("Examples:\n  vpce unlock --state vpce.state.json\n")
            && text.contains("--force"),
        "{text}"
    );
    let top = vpce().arg("--help").output().unwrap();
    assert!(String::from_utf8_lossy(&top.stdout).contains("vpce unlock --state"));
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
        let fired: std::collections::BTreeSet<&str> = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["ruleId"].as_str().unwrap())
            .collect();
        let rules: Vec<&str> = run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            rules,
            fired.into_iter().collect::<Vec<_>>(),
            "only the rules that fired"
        );
        assert!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap()
            .ends_with('/'));
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

/// The SARIF of one file run from `dir`.
fn sarif_of(dir: &std::path::Path, file: &str) -> serde_json::Value {
    let output = vpce()
        .current_dir(dir)
        .args(["check", "--format", "sarif", file])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn sarif_locates_by_srcroot_and_fingerprints_survive_moved_lines() {
    let dir = tempfile::tempdir().unwrap();
    let fixture =
        std::fs::read_to_string("../../tests/fixtures/V205-az-name-not-id/fail.hcl").unwrap();
    std::fs::create_dir(dir.path().join("net work")).unwrap();
    let file = "net work/main.hcl";
    std::fs::write(dir.path().join(file), &fixture).unwrap();
    let before = sarif_of(dir.path(), file);
    let results = |log: &serde_json::Value| log["runs"][0]["results"].as_array().unwrap().clone();
    let location = &results(&before)[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "net%20work/main.hcl");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    let absolute = sarif_of(dir.path(), &dir.path().join(file).display().to_string());
    assert_eq!(
        results(&absolute)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "net%20work/main.hcl",
        "an absolute path under the directory vpce runs in is made relative"
    );
    std::fs::write(dir.path().join(file), format!("\n\n# moved\n{fixture}")).unwrap();
    let after = sarif_of(dir.path(), file);
    let fingerprints = |log: &serde_json::Value| -> Vec<String> {
        results(log)
            .iter()
            .map(|r| r["partialFingerprints"]["vpceFindingHash/v1"].to_string())
            .collect()
    };
    let lines = |log: &serde_json::Value| -> Vec<u64> {
        results(log)
            .iter()
            .map(|r| {
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap()
            })
            .collect()
    };
    assert_ne!(lines(&before), lines(&after), "the findings moved");
    assert_eq!(fingerprints(&before), fingerprints(&after));
    let distinct: std::collections::BTreeSet<String> = fingerprints(&before).into_iter().collect();
    assert_eq!(
        distinct.len(),
        results(&before).len(),
        "one fingerprint per finding"
    );
}

#[test]
fn color_follows_the_flag_no_color_and_clicolor_force() {
    let file = "tests/fixtures/V205-az-name-not-id/fail.hcl";
    let coloured = |command: &mut Command| {
        let output = command.output().unwrap();
        String::from_utf8(output.stdout).unwrap().contains('\u{1b}')
    };
    assert!(
        !coloured(vpce().args(["check", file])),
        "a pipe gets no colour"
    );
    assert!(coloured(vpce().args(["check", file, "--color", "always"])));
    assert!(coloured(
        vpce().args(["check", file]).env("CLICOLOR_FORCE", "1")
    ));
    assert!(!coloured(
        vpce()
            .args(["check", file])
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
    ));
    assert!(!coloured(
        vpce()
            .args(["check", file, "--color", "never"])
            .env("CLICOLOR_FORCE", "1")
    ));
    assert!(coloured(
        vpce()
            .args(["check", file, "--color", "always"])
            .env("NO_COLOR", "1")
    ));
}

#[test]
fn completions_are_printed_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _vpce"),
        ("zsh", "#compdef vpce"),
        ("fish", "complete -c vpce"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let output = vpce().args(["completions", shell]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(
            script.contains("--var-file"),
            "{shell}: flags are completed"
        );
    }
}

#[test]
fn a_dash_reads_one_file_from_standard_input() {
    use std::io::Write;
    let mut child = vpce()
        .args(["check", "-", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"region = \"eu-west-1\"\nvpc \"main\" {\n  cidr = \"10.0.0.1/16\"\n}\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["code"], "V200");
    assert_eq!(json["diagnostics"][0]["file"], "<stdin>");
    let quickstart = std::fs::read("examples/quickstart/main.hcl")
        .or_else(|_| std::fs::read("../../examples/quickstart/main.hcl"))
        .unwrap();
    let mut child = vpce()
        .args(["check", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&quickstart).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "vpce: `<stdin>` checked: no problems found\n"
    );
}

#[test]
fn a_format_flag_gets_the_tip_to_use_format() {
    let output = vpce()
        .args(["check", "examples/quickstart", "--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("unexpected argument '--json'"), "{stderr}");
    assert!(
        stderr.contains("tip: to choose the output format, use '--format json'"),
        "{stderr}"
    );
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
    let lenient_stdout = String::from_utf8(lenient.stdout).unwrap();
    assert!(
        lenient_stdout.starts_with("warning[V205]: "),
        "{lenient_stdout}"
    );
    assert!(lenient_stdout.ends_with(&format!("vpce: `{file}` checked: 3 warnings\n")));
    let strict = vpce()
        .args(["check", "--deny", "warnings", file])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
    let summary = String::from_utf8(strict.stdout).unwrap();
    assert!(
        summary.ends_with(&format!(
            "vpce: `{file}` failed: 3 warnings, denied by `--deny warnings`\n"
        )),
        "the last line says the run failed and why: {summary}"
    );
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
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("is a file: `-o` takes a directory"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "nothing is checked or written");
    assert_eq!(
        std::fs::read_to_string(&blocker).unwrap(),
        "not a directory"
    );
}

// ---------------------------------------------------------------------------------
// `plan` and `apply`
// ---------------------------------------------------------------------------------

const QUICKSTART: &str = include_str!("../../../examples/quickstart/main.hcl");

fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` is not in the text");
    text.replacen(from, to, 1)
}

/// The quickstart as a pull request might change it: the secrets endpoint moves to
/// `ssm` (replace), `app_b` makes way for `app_c` (delete, create), the S3 policy goes
/// The quickstart as a pull request might change it: the secrets endpoint moves to
/// `ssm` (replace), `app_b` makes way for `app_c` (delete, create), the S3 policy goes
/// (update). One file, shared by the plan tests of both crates.
fn quickstart_changed() -> String {
    include_str!("../../vpce_emit_plan/tests/data/quickstart-changed.hcl").to_string()
}

/// A directory with `old/main.hcl` (the quickstart) and `new/main.hcl` (changed).
fn quickstart_pair() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("old", QUICKSTART.to_string()),
        ("new", quickstart_changed()),
    ] {
        std::fs::create_dir(dir.path().join(name)).unwrap();
        std::fs::write(dir.path().join(name).join("main.hcl"), text).unwrap();
    }
    dir
}

fn json_of(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn actions(plan: &serde_json::Value) -> std::collections::BTreeMap<String, String> {
    plan["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["address"].as_str().unwrap().to_string(),
                r["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// create, update, replace (with the forcing attribute), delete and unchanged.
fn assert_every_action(plan: &serde_json::Value) {
    let actions = actions(plan);
    assert_eq!(actions["vpc.main"], "unchanged");
    assert_eq!(actions["subnet.app_c"], "create");
    assert_eq!(actions["subnet.app_b"], "delete");
    assert_eq!(actions["endpoint.s3"], "update");
    assert_eq!(actions["endpoint.secrets"], "replace");
    let secrets = plan["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == "endpoint.secrets")
        .unwrap();
    assert_eq!(
        secrets["reasons"][0],
        "`ServiceName` changed: forces replacement"
    );
    assert_eq!(secrets["replacement"], "create_then_delete");
    let forcing: Vec<&serde_json::Value> = secrets["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["forces_replacement"] == true)
        .collect();
    assert_eq!(forcing.len(), 1);
    assert_eq!(forcing[0]["path"], "/ServiceName");
    assert_eq!(forcing[0]["after"], "com.amazonaws.eu-west-1.ssm");
    assert_eq!(
        plan["summary"],
        serde_json::json!({"create": 2, "update": 1, "replace": 1, "delete": 2, "unchanged": 5})
    );
}

#[test]
fn plan_quickstart_creates_everything() {
    assert_cmd_snapshot!(vpce().args(["plan", "examples/quickstart"]));
}

#[test]
fn plan_against_an_older_configuration_human() {
    let dir = quickstart_pair();
    assert_cmd_snapshot!(vpce()
        .current_dir(dir.path())
        .args(["plan", "new", "--against", "old"]));
}

#[test]
fn plan_against_an_older_configuration_markdown() {
    let dir = quickstart_pair();
    assert_cmd_snapshot!(vpce().current_dir(dir.path()).args([
        "plan",
        "new",
        "--against",
        "old",
        "--format",
        "markdown"
    ]));
}

#[test]
fn plan_against_shows_every_action() {
    let dir = quickstart_pair();
    let output = vpce()
        .current_dir(dir.path())
        .args(["plan", "new", "--against", "old", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let plan = json_of(&output);
    assert_every_action(&plan);
    assert_eq!(plan["against"]["kind"], "configuration");
    let codes: Vec<&str> = plan["findings"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"V952"), "{codes:?}");
}

#[test]
fn apply_records_and_plan_state_shows_every_action() {
    let dir = quickstart_pair();
    let state = dir.path().join("state.json");
    let apply = |config: &str| {
        vpce()
            .current_dir(dir.path())
            .args(["apply", config, "--state", "state.json", "--format", "json"])
            .output()
            .unwrap()
    };
    let first = apply("old");
    assert_eq!(first.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&first.stderr).contains("is at serial 1"));
    assert!(actions(&json_of(&first)).values().all(|a| a == "create"));
    let recorded = std::fs::read_to_string(&state).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&recorded).unwrap();
    assert_eq!(parsed["version"], 3);
    assert_eq!(parsed["serial"], 1);
    assert!(
        !dir.path().join("state.json.lock").exists(),
        "lock released"
    );

    // Applying the same configuration again changes nothing, not even the serial.
    let second = apply("old");
    assert_eq!(second.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&second.stderr).contains("no changes"));
    assert!(actions(&json_of(&second))
        .values()
        .all(|a| a == "unchanged"));
    assert_eq!(std::fs::read_to_string(&state).unwrap(), recorded);

    let output = vpce()
        .current_dir(dir.path())
        .args(["plan", "new", "--state", "state.json", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let plan = json_of(&output);
    assert_every_action(&plan);
    assert_eq!(plan["against"]["serial"], 1);

    let third = apply("new");
    assert_eq!(third.status.code(), Some(0));
    let parsed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(parsed["serial"], 2);
}

#[test]
fn plan_reports_replacement_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("old", QUICKSTART.to_string()),
        (
            "new",
            edit(
                &edit(
                    QUICKSTART,
                    "endpoint \"secrets\"",
                    "endpoint \"secrets_manager\"",
                ),
                "endpoint \"s3\"",
                "endpoint \"s3_gateway\"",
            ),
        ),
    ] {
        std::fs::create_dir(dir.path().join(name)).unwrap();
        std::fs::write(dir.path().join(name).join("main.hcl"), text).unwrap();
    }
    let output = vpce()
        .current_dir(dir.path())
        .args(["plan", "new", "--against", "old", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "warnings do not fail a plan");
    let plan = json_of(&output);
    let findings: Vec<(String, String)> = plan["findings"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [
            ("V951".to_string(), "new/main.hcl".to_string()),
            ("V950".to_string(), "new/main.hcl".to_string())
        ]
    );
}

#[test]
fn every_example_plans_with_every_expectation_met() {
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let mut dirs: Vec<_> = std::fs::read_dir(examples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 5);
    for dir in dirs {
        let output = vpce()
            .args(["plan", "--format", "json"])
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stdout)
        );
        let plan = json_of(&output);
        let expectations = plan["expectations"].as_array().unwrap();
        for expectation in expectations {
            assert_eq!(
                expectation["outcome"],
                "met",
                "{}: {expectation}",
                dir.display()
            );
        }
        assert!(
            !expectations.is_empty() || dir.ends_with("quickstart"),
            "{}: no expectations",
            dir.display()
        );
    }
}

#[test]
fn plan_json_and_state_validate_against_their_schemas() {
    let Some(python) = external("VPCE_TEST_PYTHON") else {
        return;
    };
    let schemas = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas");
    let dir = quickstart_pair();
    let mut documents: Vec<(String, &str)> = Vec::new();
    let runs: [&[&str]; 5] = [
        &["plan", "new", "--format", "json"],
        &["plan", "new", "--against", "old", "--format", "json"],
        &["apply", "old", "--state", "state.json", "--format", "json"],
        &["plan", "new", "--state", "state.json", "--format", "json"],
        &["plan", "new", "--state", "missing.json", "--format", "json"],
    ];
    for (index, args) in runs.iter().enumerate() {
        let output = vpce().current_dir(dir.path()).args(*args).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let path = format!("plan-{index}.json");
        std::fs::write(dir.path().join(&path), &output.stdout).unwrap();
        documents.push((path, "plan-output.schema.json"));
    }
    let gwlb = vpce()
        .args(["plan", "examples/gwlb-inspection", "--format", "json"])
        .output()
        .unwrap();
    std::fs::write(dir.path().join("gwlb.json"), &gwlb.stdout).unwrap();
    documents.push(("gwlb.json".into(), "plan-output.schema.json"));
    documents.push(("state.json".into(), "state.schema.json"));
    for (document, schema) in documents {
        let validate = Command::new(&python)
            .args([
                "-c",
                "import json, sys, jsonschema\n\
                 schema = json.load(open(sys.argv[1]))\n\
                 jsonschema.validators.validator_for(schema)(schema).validate(json.load(open(sys.argv[2])))",
            ])
            .arg(format!("{schemas}/{schema}"))
            .arg(dir.path().join(&document))
            .output()
            .unwrap();
        assert!(
            validate.status.success(),
            "{document}: {}",
            String::from_utf8_lossy(&validate.stderr)
        );
    }
}

#[test]
fn a_corrupt_or_newer_state_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    for (text, expected) in [
        (
            "{\"version\": 1, \"serial\": ",
            "is not a vpce state file (invalid JSON",
        ),
        (
            "{\"version\": 7}",
            "has version 7, newer than this vpce reads (version 3)",
        ),
    ] {
        std::fs::write(&state, text).unwrap();
        for command in ["plan", "apply"] {
            let output = vpce()
                .args([command, "examples/quickstart", "--state"])
                .arg(&state)
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(2), "{command}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains(expected), "{command}: {stderr}");
            assert!(stderr.contains("left untouched"), "{stderr}");
            assert_eq!(std::fs::read_to_string(&state).unwrap(), text);
            assert!(!dir.path().join("state.json.lock").exists());
        }
    }
}

#[test]
fn a_held_lock_keeps_a_second_apply_out() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    std::fs::write(dir.path().join("state.json.lock"), "4242\n").unwrap();
    let output = vpce()
        .args(["apply", "examples/quickstart", "--state"])
        .arg(&state)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("another `vpce apply` (pid 4242) holds the lock `")
            && stderr.contains("state.json.lock`; if it is no longer running, remove the lock with `vpce unlock --state "),
        "{stderr}"
    );
    assert!(!state.exists(), "nothing written");
    assert!(
        dir.path().join("state.json.lock").exists(),
        "not ours to remove"
    );
}

#[test]
fn apply_killed_mid_write_leaves_the_previous_state_intact() {
    let dir = quickstart_pair();
    let state = dir.path().join("state.json");
    let first = vpce()
        .current_dir(dir.path())
        .args(["apply", "old", "--state", "state.json"])
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0));
    let before = std::fs::read(&state).unwrap();

    // The test-only pause holds the new state in its temporary file, not yet renamed.
    let mut child = vpce()
        .current_dir(dir.path())
        .args(["apply", "new", "--state", "state.json"])
        .env("VPCE_TEST_APPLY_PAUSE_MS", "30000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let temporary = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().contains(".vpce-tmp-"))
    };
    // The lock is written through a temporary file of the same prefix first: wait for
    // the lock, then for the state's temporary file, which the pause holds.
    let lock = dir.path().join("state.json.lock");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !(lock.exists() && temporary()) {
        assert!(
            std::time::Instant::now() < deadline,
            "apply never wrote its temporary file"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        temporary(),
        "the paused apply holds its temporary state file"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        std::fs::read(&state).unwrap(),
        before,
        "the previous state is intact"
    );

    // The killed apply left its lock: the next one names its process, host and time,
    // and how to remove it.
    let blocked = vpce()
        .current_dir(dir.path())
        .args(["apply", "new", "--state", "state.json"])
        .output()
        .unwrap();
    assert_eq!(blocked.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&blocked.stderr);
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    assert!(
        stderr.contains(&format!(
            "another `vpce apply` (pid {} on host `{}`, since 20",
            child.id(),
            host.trim()
        )) && stderr.contains(
            "holds the lock `state.json.lock`; if it is no longer running, remove the lock with `vpce unlock --state state.json`"
        ),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&state).unwrap(), before);

    // `vpce unlock` removes the stale lock; apply goes ahead and clears the leftover file.
    let unlocked = vpce()
        .current_dir(dir.path())
        .args(["unlock", "--state", "state.json"])
        .output()
        .unwrap();
    assert_eq!(
        unlocked.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&unlocked.stderr)
    );
    assert!(!dir.path().join("state.json.lock").exists());
    let retried = vpce()
        .current_dir(dir.path())
        .args(["apply", "new", "--state", "state.json"])
        .output()
        .unwrap();
    assert_eq!(retried.status.code(), Some(0));
    assert!(!temporary(), "the stale temporary file is cleared");
    let parsed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(parsed["serial"], 2);
}

#[test]
fn plan_refuses_broken_inputs() {
    // The configuration has errors: printed as `check` prints them, exit 1.
    let output = vpce()
        .args(["plan", "tests/fixtures/V203-subnet-overlap/fail.hcl"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("V203"));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing was planned"));
    // The older configuration has errors: the comparison cannot be made, exit 2.
    let output = vpce()
        .args([
            "plan",
            "examples/quickstart",
            "--against",
            "tests/fixtures/V203-subnet-overlap/fail.hcl",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("the configuration to compare against")
    );
    // The two are checked side by side, but reported as if one after the other: the
    // new configuration's errors first (exit 1), and then nothing of the older one.
    for old in [
        "tests/fixtures/V203-subnet-overlap/fail.hcl",
        "no/such/older/configuration",
    ] {
        let output = vpce()
            .args([
                "plan",
                "tests/fixtures/V203-subnet-overlap/fail.hcl",
                "--against",
                old,
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "against {old}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("nothing was planned"), "{stderr}");
        assert!(!stderr.contains("compare against"), "{stderr}");
        assert!(!stderr.contains("no/such/older"), "{stderr}");
    }
    // An older configuration that cannot be read: exit 2, naming it.
    let output = vpce()
        .args([
            "plan",
            "examples/quickstart",
            "--against",
            "no/such/older/configuration",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no/such/older/configuration"));
    // `--state` and `--against` exclude each other.
    let output = vpce()
        .args([
            "plan",
            "examples/quickstart",
            "--state",
            "x.json",
            "--against",
            "examples/quickstart",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// CloudFormation refuses a template without resources: a configuration that creates
/// nothing writes nothing, and says so.
#[test]
fn build_with_nothing_to_create_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("main.hcl");
    std::fs::write(
        &config,
        "region = \"eu-west-1\"\nvpc \"main\" {\n  id   = \"vpc-0123456789abcdef0\"\n  cidr = \"10.0.0.0/16\"\n}\n",
    )
    .unwrap();
    let out = dir.path().join("cfn");
    let output = vpce()
        .args(["build"])
        .arg(&config)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("nothing to build"), "{stderr}");
    assert!(!out.exists());
}

/// A generated configuration of `endpoints` endpoints in a temporary directory.
fn generated(endpoints: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.hcl"),
        vpce_driver::generate::configuration(endpoints),
    )
    .unwrap();
    dir
}

fn stdout_of(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_large_human_plan_is_summarised_and_all_lists_every_row() {
    let dir = generated(60);
    let plan = |extra: &[&str]| {
        stdout_of(
            vpce()
                .current_dir(dir.path())
                .args(["plan", "main.hcl"])
                .args(extra),
        )
    };
    let summarised = plan(&[]);
    assert!(
        summarised.contains(
            "    … and 10 more `AWS::EC2::VPCEndpoint` to create (use --all to list every one)\n"
        ),
        "{summarised}"
    );
    assert!(
        summarised.contains("  198 paths in all: 18 unreachable, 180 private\n"),
        "{summarised}"
    );
    let every = plan(&["--all"]);
    assert!(!every.contains('…'), "{every}");
    for v in 0..6 {
        assert!(
            every.contains(&format!("  + endpoint.v{v}_monitoring ")),
            "{every}"
        );
    }
    // JSON is never summarised.
    let json: serde_json::Value = serde_json::from_str(&plan(&["--format", "json"])).unwrap();
    let endpoints = json["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "AWS::EC2::VPCEndpoint")
        .count();
    assert_eq!(endpoints, 60);
}
