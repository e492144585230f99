//! The adversarial campaign, as part of the suite: seeded configurations of valid
//! shapes with hostile values, and byte mutations of the examples, each run through the
//! `vpce` binary under a 1 GiB address space and a time limit. Every run must end with
//! exit 0, 1 or 2 and no panic; every JSON output must parse; every configuration that
//! checks clean must build, and its YAML templates must read back as its JSON ones.
//! Seeded: a failure names its case, which reproduces.

use std::{
    fs,
    path::Path,
    process::{Command, Output},
    time::Duration,
};

use serde_json::Value;
use vpce_tests::{repo_root, sorted_entries, tools::vpce_binary, Rng};

const ADDRESS_SPACE_KIB: u64 = 1 << 20;
const TIME_LIMIT: Duration = Duration::from_secs(20);
const GENERATED: usize = 400;
const MUTATED: usize = 400;

/// Strings that break writers and readers: YAML specials, quotes, escapes, unicode,
/// control characters, interpolation look-alikes.
const HOSTILE: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "~",
    "null",
    "true",
    "0o17",
    "012",
    "1e3",
    ".inf",
    "2024-01-01",
    "<<",
    "=",
    ": ",
    " #",
    "&a",
    "*a",
    "!Ref x",
    "---",
    "...",
    "- a",
    "'",
    "\"",
    "\\",
    "\\n",
    "\n",
    "\t",
    " lead",
    "trail ",
    "é",
    "日本",
    "🦀",
    "\u{1}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{202e}",
    "\u{feff}",
    "${literal}",
    "%{x}",
    "a: b",
    "{",
    "}",
    "[",
    "]",
    "",
];

/// `s` as an HCL quoted string: escapes, and `${`/`%{` doubled so they stay literal.
fn hcl_quote(s: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len())]
}

fn hostile(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => format!("{}{}", pick(rng, HOSTILE), pick(rng, HOSTILE)),
        1 => "x".repeat(rng.below(300)),
        _ => pick(rng, HOSTILE).to_string(),
    }
}

/// A configuration of a valid shape (VPC, subnets, route table, security group,
/// endpoints of each type, an endpoint service, expectations) whose values are drawn
/// from hostile pools; now and then one value is plainly wrong.
fn generated(rng: &mut Rng) -> String {
    // Now and then one value is plainly wrong; the hostile part is in the text.
    let wrong = |rng: &mut Rng| rng.below(25) == 0;
    let region = if wrong(rng) {
        "eu-west-9"
    } else {
        pick(rng, &["eu-west-1", "us-east-1", "cn-north-1"])
    };
    let prefix = match region {
        "us-east-1" => "use1",
        "cn-north-1" => "cnn1",
        _ => "euw1",
    };
    let mut tags = String::new();
    for _ in 0..rng.below(8) {
        tags.push_str(&format!(
            "    {} = {}\n",
            hcl_quote(&hostile(rng)),
            hcl_quote(&hostile(rng))
        ));
    }
    // Two zones in every region drawn (cn-north-1 has two).
    let subnets = 1 + rng.below(2);
    let mut text = format!("region = {}\n\nvpc \"main\" {{\n  cidr          = \"10.0.0.0/16\"\n  dns_hostnames = {}\n  tags = {{\n{tags}  }}\n}}\n\n", hcl_quote(region), !wrong(rng));
    text.push_str("route_table \"private\" {\n  vpc = vpc.main\n}\n\n");
    for i in 0..subnets {
        let cidr = if wrong(rng) {
            pick(rng, &["10.0.0.1/24", "10.1.0.0/24", "10.0.0.0/8"]).to_string()
        } else {
            format!("10.0.{}.0/{}", i * 16, pick(rng, &["24", "28", "20"]))
        };
        text.push_str(&format!(
            "subnet \"s{i}\" {{\n  vpc         = vpc.main\n  az          = \"{prefix}-az{}\"\n  cidr        = {}\n  route_table = route_table.private\n}}\n\n",
            1 + i,
            hcl_quote(&cidr)
        ));
    }
    let list: Vec<String> = (0..subnets).map(|i| format!("subnet.s{i}")).collect();
    let port = if wrong(rng) {
        pick(rng, &["65536", "-1", "1e308", "\"x\""])
    } else {
        pick(rng, &["443", "\"0-65535\"", "443"])
    };
    text.push_str(&format!(
        "security_group \"endpoints\" {{\n  vpc = vpc.main\n  ingress {{\n    description = {}\n    protocol    = \"tcp\"\n    ports       = {port}\n    cidrs       = [vpc.main.cidr]\n  }}\n}}\n\n",
        hcl_quote(&hostile(rng))
    ));
    let service = if wrong(rng) {
        pick(rng, &["nosuch", "SSM", "ssmm"])
    } else {
        pick(
            rng,
            &["ssm", "sqs", "kms", "logs", "s3tables", "ec2messages"],
        )
    };
    text.push_str(&format!(
        "endpoint \"iface\" {{\n  type            = \"interface\"\n  service         = {}\n  vpc             = vpc.main\n  subnets         = [{}]\n  security_groups = [security_group.endpoints]\n  private_dns     = {}\n  tags = {{\n    Note = {}\n  }}\n}}\n\n",
        hcl_quote(service),
        list.join(", "),
        wrong(rng),
        hcl_quote(&hostile(rng))
    ));
    let statement_key = hcl_quote(&hostile(rng));
    text.push_str(&format!(
        "endpoint \"s3\" {{\n  type         = \"gateway\"\n  service      = \"s3\"\n  vpc          = vpc.main\n  route_tables = [route_table.private]\n  policy = {{\n    Statement = [{{\n      Effect    = \"Allow\"\n      Principal = \"*\"\n      Action    = \"s3:GetObject\"\n      Resource  = \"*\"\n      Condition = {{\n        StringEquals = {{\n          {statement_key} = {}\n        }}\n      }}\n    }}]\n  }}\n}}\n\n",
        hcl_quote(&hostile(rng))
    ));
    if rng.below(2) == 0 {
        text.push_str(&format!(
            "load_balancer \"nlb\" {{\n  type    = \"network\"\n  subnets = [{}]\n}}\n\nendpoint_service \"api\" {{\n  load_balancers      = [load_balancer.nlb]\n  acceptance_required = {}\n  allowed_principals  = [{}]\n}}\n\n",
            list.join(", "),
            rng.below(2) == 0,
            hcl_quote(if wrong(rng) { "nobody" } else { "arn:aws:iam::111122223333:root" })
        ));
    }
    text.push_str(&format!(
        "expect \"reach\" {{\n  from    = subnet.s0\n  to      = {}\n  private = true\n}}\n",
        hcl_quote(if wrong(rng) { "internet" } else { "s3" })
    ));
    text
}

/// Byte mutations of the examples: a run of bytes deleted, duplicated or replaced by a
/// hostile token.
fn mutated(rng: &mut Rng, examples: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = examples[rng.below(examples.len())].clone();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        let len = rng.below(16).min(bytes.len() - at);
        match rng.below(3) {
            0 => {
                bytes.drain(at..at + len);
            }
            1 => {
                let copy: Vec<u8> = bytes[at..at + len].to_vec();
                bytes.splice(at..at, copy.iter().copied().chain(copy.iter().copied()));
            }
            _ => {
                let token = hostile(rng).into_bytes();
                bytes.splice(at..at + len, token);
            }
        }
    }
    bytes
}

fn run(args: &[&str], cwd: &Path) -> Output {
    let script = format!("ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\"");
    Command::new("timeout")
        .arg(TIME_LIMIT.as_secs().to_string())
        .args(["sh", "-c", &script])
        .arg(vpce_binary())
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("runs")
}

/// The promises one run must keep; `None` when kept.
fn broken(label: &str, args: &[&str], output: &Output) -> Option<String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0..=2) => {}
        Some(124) => {
            return Some(format!(
                "{label}: `vpce {}` ran past {TIME_LIMIT:?}",
                args.join(" ")
            ))
        }
        other => {
            return Some(format!(
                "{label}: `vpce {}` ended with {other:?}: {stderr}",
                args.join(" ")
            ))
        }
    }
    if stderr.contains("panicked") || stderr.contains("internal error") {
        return Some(format!(
            "{label}: `vpce {}` panicked: {stderr}",
            args.join(" ")
        ));
    }
    None
}

/// Runs one configuration through check (JSON), and when it is clean through build in
/// both formats and plan (JSON). Returns the broken promises, and whether it built.
fn campaign_case(label: &str, text: &[u8]) -> (Vec<String>, bool) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("main.hcl"), text).unwrap();
    let cwd = dir.path();
    let mut problems = Vec::new();
    let check = ["check", "main.hcl", "--format", "json"];
    let output = run(&check, cwd);
    if let Some(problem) = broken(label, &check, &output) {
        return (vec![problem], false);
    }
    if output.status.code() == Some(2) {
        return (problems, false);
    }
    if serde_json::from_slice::<Value>(&output.stdout).is_err() {
        problems.push(format!("{label}: check's JSON does not parse"));
    }
    if output.status.code() != Some(0) {
        return (problems, false);
    }
    for (format, out) in [("json", "cfn-json"), ("yaml", "cfn-yaml")] {
        let build = ["build", "main.hcl", "--format", format, "-o", out];
        let output = run(&build, cwd);
        if let Some(problem) = broken(label, &build, &output) {
            problems.push(problem);
        } else if !output.status.success() {
            problems.push(format!(
                "{label}: checks clean but `vpce build --format {format}` fails: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    let manifest = cwd.join("cfn-json/manifest.json");
    if let Ok(text) = fs::read_to_string(&manifest) {
        let manifest: Value = serde_json::from_str(&text).unwrap();
        for stack in manifest["stacks"].as_array().into_iter().flatten() {
            let file = stack["file"].as_str().unwrap();
            let json: Value =
                serde_json::from_str(&fs::read_to_string(cwd.join("cfn-json").join(file)).unwrap())
                    .unwrap();
            let yaml_file = file.replace(".json", ".yaml");
            let yaml =
                fs::read_to_string(cwd.join("cfn-yaml").join(&yaml_file)).unwrap_or_default();
            if vpce_emit_cfn::yaml::from_yaml(&yaml).as_ref() != Ok(&json) {
                problems.push(format!("{label}: {yaml_file} does not read back as {file}"));
            }
        }
    }
    let plan = ["plan", "main.hcl", "--format", "json"];
    let output = run(&plan, cwd);
    if let Some(problem) = broken(label, &plan, &output) {
        problems.push(problem);
    } else if output.status.success() && serde_json::from_slice::<Value>(&output.stdout).is_err() {
        problems.push(format!("{label}: plan's JSON does not parse"));
    }
    if !problems.is_empty() {
        let keep = std::env::temp_dir().join(format!("vpce-campaign-{label}.hcl"));
        let _ = fs::write(&keep, text);
        problems.push(format!("{label}: input kept at {}", keep.display()));
    }
    (problems, manifest.exists())
}

#[test]
fn the_campaign_keeps_every_promise() {
    let mut examples = Vec::new();
    for dir in sorted_entries(&repo_root().join("examples")) {
        if !dir.is_dir() {
            continue;
        }
        for file in sorted_entries(&dir) {
            if file.extension().is_some_and(|e| e == "hcl") {
                examples.push(fs::read(file).unwrap());
            }
        }
    }
    let mut rng = Rng(0x5eed_ca3a_16e0_0001);
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..GENERATED {
        cases.push((format!("generated-{i}"), generated(&mut rng).into_bytes()));
    }
    for i in 0..MUTATED {
        cases.push((format!("mutated-{i}"), mutated(&mut rng, &examples)));
    }
    // Two workers: the machine's cores.
    let (even, odd): (Vec<_>, Vec<_>) =
        cases.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let work = |part: Vec<(usize, (String, Vec<u8>))>| {
        std::thread::spawn(move || {
            let mut problems = Vec::new();
            let mut built = 0;
            for (_, (label, text)) in part {
                let (found, reached) = campaign_case(&label, &text);
                built += usize::from(reached);
                problems.extend(found);
            }
            (problems, built)
        })
    };
    let handles = [work(even), work(odd)];
    let mut problems = Vec::new();
    let mut built = 0;
    for handle in handles {
        let (found, reached) = handle.join().unwrap();
        problems.extend(found);
        built += reached;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The campaign reaches the backends, not only the diagnostics.
    assert!(built >= GENERATED / 3, "only {built} cases were built");
}

/// The generator makes configurations that reach the backends, not only errors.
#[test]
fn generated_configurations_often_check_clean() {
    let mut rng = Rng(0x5eed_ca3a_16e0_0001);
    let mut codes = std::collections::BTreeMap::<&str, usize>::new();
    let clean = (0..GENERATED)
        .filter(|_| {
            let outcome = vpce_driver::check_text(&generated(&mut rng));
            for d in outcome.diagnostics.iter().filter(|d| d.is_error()) {
                *codes.entry(d.code.as_str()).or_default() += 1;
            }
            !outcome.has_errors()
        })
        .count();
    assert!(
        clean >= GENERATED / 2,
        "only {clean} of {GENERATED} are clean; errors by code: {codes:?}"
    );
}
