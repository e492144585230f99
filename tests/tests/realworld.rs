//! The real-world corpus (`tests/realworld/NAME/`): public configurations translated
//! into vpce, each with a `SOURCE.md`. Every case must check with no error, build,
//! lint clean with cfn-lint (no error, no warning), deploy on a moto server in manifest
//! order, plan with every expectation met (and, where the case has a `reachability.txt`,
//! with exactly the verdicts it lists), and plan exactly the resources its templates
//! hold. Cases are discovered from the directory: adding one needs no code.
//!
//! `tests/realworld/KNOWN_FAILURES.md` lists the cases that fail today, each with the
//! stages it fails at (`- \`NAME\` at \`STAGE\`, ...: why`). The test expects exactly
//! those failures: it fails when an unlisted case fails, when a listed case passes a
//! listed stage, or fails another one, so a line is removed when its fix lands.
//!
//! The tools come from `bash scripts/test` (`VPCE_TEST_PYTHON`, as in `tests/cfn.rs`);
//! without them the test prints `SKIPPED` and passes locally, and fails in CI.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt::{self, Write as _},
    fs,
    path::{Path, PathBuf},
    process::{Command, Output},
    time::Instant,
};

use serde_json::Value;
use vpce_tests::{
    repo_root, sorted_entries,
    tools::{cfn_lint, deploy_on_moto, external, moto_log_tail, vpce_binary, Moto},
};

/// What a case goes through, in order.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Stage {
    /// `vpce check`: no error (warnings are allowed).
    Check,
    /// `vpce build`: templates and a manifest.
    Build,
    /// cfn-lint: no error and no warning in any template.
    Lint,
    /// `tests/cfn/deploy.py` on moto: every stack created and as the template says.
    Moto,
    /// `vpce plan`: runs, and every `expect` is met.
    Plan,
    /// The plan's verdicts match the case's `reachability.txt`, if it has one.
    Reachability,
    /// The plan's resources are exactly the templates' resources.
    Resources,
}

const STAGES: [Stage; 7] = [
    Stage::Check,
    Stage::Build,
    Stage::Lint,
    Stage::Moto,
    Stage::Plan,
    Stage::Reachability,
    Stage::Resources,
];

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Check => "check",
            Stage::Build => "build",
            Stage::Lint => "cfn-lint",
            Stage::Moto => "moto",
            Stage::Plan => "plan",
            Stage::Reachability => "reachability",
            Stage::Resources => "resources",
        }
    }

    fn parse(text: &str) -> Option<Stage> {
        STAGES.into_iter().find(|s| s.name() == text)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One directory of the corpus and what happened to it.
struct Case {
    name: String,
    dir: PathBuf,
    /// Where `vpce build` writes, under the test's temporary directory.
    out: PathBuf,
    built: bool,
    failures: BTreeMap<Stage, Vec<String>>,
}

impl Case {
    fn fail(&mut self, stage: Stage, message: impl Into<String>) {
        self.failures.entry(stage).or_default().push(message.into());
    }

    fn manifest(&self) -> PathBuf {
        self.out.join("manifest.json")
    }
}

fn corpus_dir() -> PathBuf {
    repo_root().join("tests/realworld")
}

/// Every case directory, sorted.
fn discover(work: &Path) -> Vec<Case> {
    sorted_entries(&corpus_dir())
        .into_iter()
        .filter(|dir| dir.is_dir())
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            Case {
                out: work.join(&name),
                name,
                dir,
                built: false,
                failures: BTreeMap::new(),
            }
        })
        .collect()
}

/// `KNOWN_FAILURES.md`: case name -> the stages it is known to fail at.
fn known_failures(text: &str) -> Result<BTreeMap<String, BTreeSet<Stage>>, String> {
    let mut known = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let Some(rest) = line.strip_prefix("- `") else {
            continue;
        };
        let at = |what: &str| format!("KNOWN_FAILURES.md:{}: {what}: {line}", index + 1);
        let (name, rest) = rest
            .split_once('`')
            .ok_or_else(|| at("unclosed case name"))?;
        let (stages, _why) = rest
            .strip_prefix(" at ")
            .and_then(|r| r.split_once(':'))
            .ok_or_else(|| at("expected `- `NAME` at `STAGE`, ...: why`"))?;
        let mut set = BTreeSet::new();
        for stage in stages.split(',') {
            let stage = stage.trim().trim_matches('`');
            set.insert(Stage::parse(stage).ok_or_else(|| {
                at(&format!(
                    "unknown stage `{stage}` (one of {})",
                    STAGES.map(Stage::name).join(", ")
                ))
            })?);
        }
        if known.insert(name.to_string(), set).is_some() {
            return Err(at("case listed twice"));
        }
    }
    Ok(known)
}

fn vpce(args: &[&str], path: &Path) -> Output {
    Command::new(vpce_binary())
        .args(args)
        .arg(path)
        .output()
        .expect("the vpce binary runs")
}

fn output_text(output: &Output) -> String {
    format!(
        "{}:\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `vpce check`: every error, one line each.
fn check(case: &mut Case) {
    let output = vpce(&["check", "--format", "json"], &case.dir);
    let Ok(report) = serde_json::from_slice::<Value>(&output.stdout) else {
        case.fail(Stage::Check, output_text(&output));
        return;
    };
    for diagnostic in report["diagnostics"].as_array().into_iter().flatten() {
        if diagnostic["severity"] == "error" {
            case.fail(
                Stage::Check,
                format!(
                    "{} {}:{}: {}",
                    diagnostic["code"].as_str().unwrap_or("?"),
                    diagnostic["file"].as_str().unwrap_or("?"),
                    diagnostic["line"],
                    diagnostic["message"].as_str().unwrap_or("?"),
                ),
            );
        }
    }
}

/// `vpce build` into the case's output directory.
fn build(case: &mut Case) {
    let out = case.out.to_string_lossy().into_owned();
    let output = vpce(&["build", "-o", &out], &case.dir);
    if output.status.success() && case.manifest().is_file() {
        case.built = true;
    } else {
        case.fail(Stage::Build, output_text(&output));
    }
}

/// The manifest's stacks: `(template path, region)`.
fn templates(case: &Case) -> Vec<(PathBuf, String)> {
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(case.manifest()).unwrap()).unwrap();
    manifest["stacks"]
        .as_array()
        .expect("manifest `stacks`")
        .iter()
        .map(|stack| {
            (
                case.out.join(stack["file"].as_str().expect("stack `file`")),
                stack["region"]
                    .as_str()
                    .expect("stack `region`")
                    .to_string(),
            )
        })
        .collect()
}

/// `vpce plan`: every expectation met, and exactly the templates' resources.
fn plan(case: &mut Case) {
    let output = vpce(&["plan", "--format", "json"], &case.dir);
    let Ok(plan) = serde_json::from_slice::<Value>(&output.stdout) else {
        case.fail(Stage::Plan, output_text(&output));
        return;
    };
    for expectation in plan["expectations"].as_array().into_iter().flatten() {
        // `warning` is met, with a note (V903: only through the endpoint's own DNS
        // names, as the design chose with `private_dns = false`).
        if !matches!(expectation["outcome"].as_str(), Some("met" | "warning")) {
            case.fail(
                Stage::Plan,
                format!(
                    "expect `{}` {}: {}",
                    expectation["name"].as_str().unwrap_or("?"),
                    expectation["outcome"].as_str().unwrap_or("?"),
                    expectation["message"].as_str().unwrap_or("?")
                ),
            );
        }
    }
    if !output.status.success() && !case.failures.contains_key(&Stage::Plan) {
        case.fail(Stage::Plan, output_text(&output));
    }
    reachability(case, &plan);
    if !case.built {
        return;
    }
    let planned: BTreeSet<String> = plan["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["logical_id"].as_str().map(str::to_string))
        .collect();
    let mut in_templates = BTreeSet::new();
    for (path, _) in templates(case) {
        let template: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        if let Some(resources) = template["Resources"].as_object() {
            in_templates.extend(resources.keys().cloned());
        }
    }
    for id in planned.difference(&in_templates) {
        case.fail(
            Stage::Resources,
            format!("{id} is planned but in no template"),
        );
    }
    for id in in_templates.difference(&planned) {
        case.fail(
            Stage::Resources,
            format!("{id} is in a template but not planned"),
        );
    }
}

/// One line of a case's `reachability.txt`: what the plan must say of a path.
#[derive(Debug, PartialEq)]
struct ExpectedPath {
    from: String,
    to: String,
    verdict: String,
    /// What the path goes through, in order; `None`: not compared.
    via: Option<Vec<String>>,
}

/// `reachability.txt`: `FROM TO VERDICT [VIA ...]` a line, `#` comments. It states
/// verdicts an `expect` cannot (`pending`, `denied`, `unknown`, the endpoint a path
/// takes), as AWS would give them.
fn paths(text: &str) -> Result<Vec<ExpectedPath>, String> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let [from, to, verdict, via @ ..] = words.as_slice() else {
            return Err(format!(
                "reachability.txt:{}: expected `FROM TO VERDICT [VIA ...]`: {line}",
                index + 1
            ));
        };
        out.push(ExpectedPath {
            from: from.to_string(),
            to: to.to_string(),
            verdict: verdict.to_string(),
            via: (!via.is_empty()).then(|| via.iter().map(|v| v.to_string()).collect()),
        });
    }
    Ok(out)
}

/// The plan's reachability table against the case's `reachability.txt`.
fn reachability(case: &mut Case, plan: &Value) {
    let Ok(text) = fs::read_to_string(case.dir.join("reachability.txt")) else {
        return;
    };
    let wanted = paths(&text).unwrap_or_else(|e| panic!("{}: {e}", case.name));
    let rows = plan["reachability"].as_array().cloned().unwrap_or_default();
    for path in wanted {
        let Some(row) = rows
            .iter()
            .find(|r| r["from"] == path.from.as_str() && r["to"] == path.to.as_str())
        else {
            case.fail(
                Stage::Reachability,
                format!("the plan has no row from `{}` to `{}`", path.from, path.to),
            );
            continue;
        };
        let verdict = row["verdict"].as_str().unwrap_or("?");
        let via: Vec<String> = row["via"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        if verdict != path.verdict || path.via.as_ref().is_some_and(|w| *w != via) {
            case.fail(
                Stage::Reachability,
                format!(
                    "`{}` to `{}`: the plan says {verdict} via [{}] ({}), expected {}{}",
                    path.from,
                    path.to,
                    via.join(", "),
                    row["reason"].as_str().unwrap_or("?"),
                    path.verdict,
                    path.via
                        .as_ref()
                        .map(|w| format!(" via [{}]", w.join(", ")))
                        .unwrap_or_default()
                ),
            );
        }
    }
}

/// cfn-lint over every built template, one process per region: `(case index, finding)`.
fn lint(python: &str, cases: &[Case], work: &Path) -> Vec<(usize, String)> {
    let mut failures = Vec::new();
    let mut by_region: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for case in cases.iter().filter(|c| c.built) {
        for (path, region) in templates(case) {
            by_region.entry(region).or_default().push(path);
        }
    }
    for (region, files) in &by_region {
        for finding in cfn_lint(python, region, files, work) {
            let index = cases
                .iter()
                .position(|c| finding.file.starts_with(&c.out))
                .unwrap_or_else(|| panic!("cfn-lint reported on {}", finding.file.display()));
            failures.push((index, finding.text));
        }
    }
    failures
}

/// Every built case deployed on one moto server: `(case index, failure)`. `deploy.py`
/// prints `== NAME: ok|FAILED ...` for each, then its `FAIL` lines.
fn deploy(python: &str, cases: &[Case], work: &Path) -> Vec<(usize, String)> {
    let mut failures = Vec::new();
    let manifests: Vec<PathBuf> = cases
        .iter()
        .filter(|c| c.built)
        .map(Case::manifest)
        .collect();
    if manifests.is_empty() {
        return failures;
    }
    let moto = Moto::start(python, work.join("moto.log"));
    let (ok, log) = deploy_on_moto(python, &moto, &manifests, &work.join("deploy.log"));
    println!("{log}");
    let mut current: Option<usize> = None;
    let mut reported = BTreeSet::new();
    for line in log.lines() {
        if let Some(rest) = line.strip_prefix("== ") {
            let name = rest.split(':').next().unwrap_or_default();
            current = cases.iter().position(|c| c.name == name);
            if let Some(index) = current {
                reported.insert(index);
                if rest.contains(": FAILED") {
                    failures.push((index, rest.to_string()));
                }
            }
        } else if let (Some(index), Some(failure)) = (current, line.trim().strip_prefix("FAIL ")) {
            failures.push((index, failure.to_string()));
        } else if !line.starts_with("   ") {
            current = None;
        }
    }
    for (index, case) in cases.iter().enumerate() {
        if case.built && !reported.contains(&index) {
            let tail = moto_log_tail(&moto);
            failures.push((
                index,
                format!(
                    "deploy.py did not report this build (exit ok: {ok}):\n{log}\nmoto:\n{tail}"
                ),
            ));
        }
    }
    failures
}

#[test]
fn every_realworld_case_checks_builds_lints_deploys_and_plans() {
    let Some(python) = external("VPCE_TEST_PYTHON") else {
        return;
    };
    let started = Instant::now();
    let work = tempfile::tempdir().unwrap();
    let mut cases = discover(work.path());
    assert!(
        cases.len() >= 6,
        "the corpus has {} cases, issue #8 asks for at least six",
        cases.len()
    );
    let known_text = fs::read_to_string(corpus_dir().join("KNOWN_FAILURES.md"))
        .expect("tests/realworld/KNOWN_FAILURES.md");
    let known = known_failures(&known_text).unwrap_or_else(|e| panic!("{e}"));
    for name in known.keys() {
        assert!(
            cases.iter().any(|c| &c.name == name),
            "KNOWN_FAILURES.md lists `{name}`, which is not a directory of tests/realworld"
        );
    }
    for case in &mut cases {
        let source = fs::read_to_string(case.dir.join("SOURCE.md")).unwrap_or_default();
        let names_commit = source
            .split(|c: char| !c.is_ascii_hexdigit())
            .any(|w| w.len() == 40);
        assert!(
            source.contains("https://github.com/") && names_commit,
            "{}: SOURCE.md must name the repository's URL and the commit (40 hex digits)",
            case.name
        );
        check(case);
        build(case);
        plan(case);
    }
    // cfn-lint and moto are the slow parts and independent: run them side by side.
    let (lint_failures, moto_failures) = std::thread::scope(|scope| {
        let linting = scope.spawn(|| lint(&python, &cases, work.path()));
        let deployed = deploy(&python, &cases, work.path());
        (linting.join().expect("cfn-lint thread"), deployed)
    });
    for (index, message) in lint_failures {
        cases[index].fail(Stage::Lint, message);
    }
    for (index, message) in moto_failures {
        cases[index].fail(Stage::Moto, message);
    }

    let mut summary = String::new();
    let mut unexpected = String::new();
    for case in &cases {
        let failed: BTreeSet<Stage> = case.failures.keys().copied().collect();
        let expected = known.get(&case.name).cloned().unwrap_or_default();
        let state = if failed.is_empty() {
            "ok".to_string()
        } else {
            let stages: Vec<&str> = failed.iter().map(|s| s.name()).collect();
            format!("fails at {}", stages.join(", "))
        };
        let _ = writeln!(summary, "  {:<40} {state}", case.name);
        if failed != expected {
            let listed: Vec<&str> = expected.iter().map(|s| s.name()).collect();
            let _ = writeln!(
                unexpected,
                "`{}`: {state}, KNOWN_FAILURES.md says {}",
                case.name,
                if listed.is_empty() {
                    "it passes".to_string()
                } else {
                    format!("it fails at {}", listed.join(", "))
                }
            );
            for (stage, messages) in &case.failures {
                for message in messages {
                    let _ = writeln!(unexpected, "  [{stage}] {message}");
                }
            }
        }
    }
    println!(
        "real-world corpus: {} cases in {:.1} s\n{summary}",
        cases.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        unexpected.is_empty(),
        "the corpus does not fail as tests/realworld/KNOWN_FAILURES.md says \
         (remove a line when its fix lands; list a new failure with its cause):\n{unexpected}"
    );
}

#[test]
fn reachability_lines_are_read_with_optional_via() {
    let read =
        paths("# comment\nsubnet.a s3 private endpoint.s3 # why\n\nsubnet.b internet unknown\n")
            .unwrap();
    assert_eq!(
        read,
        [
            ExpectedPath {
                from: "subnet.a".into(),
                to: "s3".into(),
                verdict: "private".into(),
                via: Some(vec!["endpoint.s3".into()]),
            },
            ExpectedPath {
                from: "subnet.b".into(),
                to: "internet".into(),
                verdict: "unknown".into(),
                via: None,
            },
        ]
    );
    assert!(paths("subnet.a s3").is_err());
}

#[test]
fn known_failures_lines_are_read_with_their_stages() {
    let known = known_failures(
        "# Known\n\n- `a-case` at `build`, `plan`: panics\n- `b` at `check`: V405\ntext\n",
    )
    .unwrap();
    assert_eq!(known.len(), 2);
    assert_eq!(known["a-case"], BTreeSet::from([Stage::Build, Stage::Plan]));
    assert_eq!(known["b"], BTreeSet::from([Stage::Check]));
    assert!(known_failures("- `x` at `nowhere`: ?").is_err());
    assert!(known_failures("- `x`: no stage").is_err());
    assert!(known_failures("- `x` at `check`: a\n- `x` at `plan`: b").is_err());
}
