//! The CloudFormation backend against the real tools, as tests/cfn/README.md describes: every
//! template the tests produce passes cfn-lint with no error and no warning, and deploys
//! on a local moto server that models what it can of it.
//!
//! Inputs: every example (JSON, and YAML for cfn-lint and the YAML round trip), the
//! fixed example of every rule page, the generated 300-endpoint configuration (which
//! must split into stacks) and one generated VPC too large for one stack (which must
//! split with `Export`/`Fn::ImportValue`).
//!
//! The tools come from `bash scripts/test` (pinned in `scripts/requirements-test.txt`):
//! `VPCE_TEST_PYTHON` is the virtualenv's python, with cfn-lint, moto and boto3. In CI
//! a missing tool is a failure; locally the tests print `SKIPPED` and pass. What is
//! checked on moto, and what moto cannot model, is in `tests/cfn/README.md`.

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
    process::Command,
    time::Instant,
};

use serde_json::Value;
use vpce_tests::{
    hcl_block_after, repo_root, sorted_entries,
    tools::{
        cfn_lint, deploy_on_moto, external, moto_log_tail, run_logged, vpce_binary, Moto,
        CFN_LINT_TIMEOUT,
    },
};

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Format {
    Json,
    Yaml,
}

impl Format {
    fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
        }
    }
}

/// A configuration to build.
struct Input {
    label: String,
    path: PathBuf,
    stack_prefix: Option<&'static str>,
    /// Examples are also built as YAML.
    example: bool,
}

/// A built configuration: its manifest, read back.
struct Built {
    label: String,
    format: Format,
    manifest_path: PathBuf,
    manifest: Value,
}

impl Built {
    fn stacks(&self) -> &[Value] {
        self.manifest["stacks"]
            .as_array()
            .expect("manifest `stacks`")
    }

    fn templates(&self) -> impl Iterator<Item = (PathBuf, &str)> + '_ {
        let dir = self.manifest_path.parent().unwrap().to_path_buf();
        self.stacks().iter().map(move |s| {
            (
                dir.join(s["file"].as_str().expect("stack `file`")),
                s["region"].as_str().expect("stack `region`"),
            )
        })
    }
}

/// One VPC with `endpoints` interface endpoints: more outputs than one stack holds, so
/// the endpoints that overflow import the VPC, subnets and group from the first stack.
fn one_large_vpc(endpoints: usize) -> String {
    const SERVICES: &[&str] = &["ssm", "logs", "kms", "sts", "sqs", "sns", "monitoring"];
    let mut out = String::from(
        "region = \"eu-west-1\"\n\n\
         vpc \"big\" {\n  cidr          = \"10.0.0.0/16\"\n  dns_hostnames = true\n}\n\n\
         route_table \"big\" { vpc = vpc.big }\n\n\
         security_group \"big\" {\n  vpc = vpc.big\n  ingress {\n    protocol = \"tcp\"\n    ports    = 443\n    cidrs    = [vpc.big.cidr]\n  }\n}\n\n",
    );
    for az in 1..=3 {
        let _ = write!(
            out,
            "subnet \"big_{az}\" {{\n  vpc         = vpc.big\n  az          = \"euw1-az{az}\"\n  cidr        = \"10.0.{az}.0/24\"\n  route_table = route_table.big\n}}\n\n"
        );
    }
    for i in 0..endpoints {
        // Private DNS once per service: a second endpoint with it would not deploy.
        let service = SERVICES[i % SERVICES.len()];
        let private_dns = i < SERVICES.len();
        let _ = write!(
            out,
            "endpoint \"e{i}\" {{\n  type            = \"interface\"\n  service         = \"{service}\"\n  vpc             = vpc.big\n  subnets         = [subnet.big_1, subnet.big_2, subnet.big_3]\n  security_groups = [security_group.big]\n  private_dns     = {private_dns}\n}}\n\n"
        );
    }
    out
}

/// Every configuration the tests build, written under `work` where they are generated.
fn inputs(work: &Path) -> Vec<Input> {
    let mut inputs = Vec::new();
    for dir in sorted_entries(&repo_root().join("examples")) {
        if dir.is_dir() {
            inputs.push(Input {
                label: format!("example-{}", dir.file_name().unwrap().to_string_lossy()),
                path: dir,
                stack_prefix: None,
                example: true,
            });
        }
    }
    assert!(
        inputs.len() >= 4,
        "expected the quickstart and three more examples"
    );
    let mut write = |label: String, text: &str, stack_prefix| {
        let dir = work.join("src").join(&label);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("main.hcl"), text).unwrap();
        inputs.push(Input {
            label,
            path: dir,
            stack_prefix,
            example: false,
        });
    };
    let mut pages = 0;
    for page in sorted_entries(&repo_root().join("docs/rules")) {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with('V') && name.ends_with(".md")) {
            continue;
        }
        let text = fs::read_to_string(&page).unwrap();
        let fixed = hcl_block_after(&text, "## Fixed example")
            .unwrap_or_else(|| panic!("{name}: no `## Fixed example`"));
        let label = format!("docs-{}", &name[..4]);
        // The module files the example calls, given as ```hcl PATH blocks of the page.
        for (path, file) in vpce_tests::page_files(&text).0 {
            let path = work.join("src").join(&label).join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, file).unwrap();
        }
        write(label, fixed, None);
        pages += 1;
    }
    assert!(pages >= 27, "found {pages} rule pages");
    // Routes to remote networks through a transit gateway, a virtual private gateway and
    // a peering connection: `TransitGatewayId`, `GatewayId`, `VpcPeeringConnectionId`.
    write(
        "remote-gateways".into(),
        include_str!("../cfn/remote-gateways.hcl"),
        None,
    );
    // Values computed by `for` expressions, splats and collection functions.
    write(
        "expressions".into(),
        include_str!("../expressions/catalogue.hcl"),
        None,
    );
    write(
        "generated-300".into(),
        &vpce_driver::generate::configuration(300),
        Some("gen300"),
    );
    write("generated-one-vpc".into(), &one_large_vpc(110), Some("big"));
    inputs
}

/// Runs `vpce build` on every input in the formats asked for.
fn build_all(work: &Path, yaml_examples: bool) -> Vec<Built> {
    let vpce = vpce_binary();
    let mut built = Vec::new();
    for input in inputs(work) {
        let formats: &[Format] = if yaml_examples && input.example {
            &[Format::Json, Format::Yaml]
        } else {
            &[Format::Json]
        };
        for &format in formats {
            let out = work.join(format.as_str()).join(&input.label);
            let mut command = Command::new(vpce);
            command
                .arg("build")
                .arg(&input.path)
                .arg("-o")
                .arg(&out)
                .args(["--format", format.as_str()]);
            if let Some(prefix) = input.stack_prefix {
                command.args(["--stack-prefix", prefix]);
            }
            let output = command.output().unwrap();
            assert!(
                output.status.success(),
                "{}: `vpce build --format {}` failed ({}):\n{}{}",
                input.label,
                format.as_str(),
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            let manifest_path = out.join("manifest.json");
            let manifest: Value = serde_json::from_str(
                &fs::read_to_string(&manifest_path)
                    .unwrap_or_else(|e| panic!("{}: {e}", manifest_path.display())),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", manifest_path.display()));
            assert_eq!(manifest["format"], format.as_str(), "{}", input.label);
            built.push(Built {
                label: input.label.clone(),
                format,
                manifest_path,
                manifest,
            });
        }
    }
    let find = |label: &str| {
        built
            .iter()
            .find(|b| b.label == label && b.format == Format::Json)
            .unwrap()
    };
    let generated = find("generated-300");
    assert!(
        generated.stacks().len() >= 2,
        "300 endpoints (2,000+ outputs and resources) must split into several stacks: {}",
        generated.manifest
    );
    let large = find("generated-one-vpc");
    assert!(
        large
            .stacks()
            .iter()
            .any(|s| s["depends_on"].as_array().is_some_and(|d| !d.is_empty())),
        "one VPC of 110 endpoints must split into stacks joined by imports: {}",
        large.manifest
    );
    built
}

#[test]
fn cfn_lint_finds_no_error_or_warning_in_any_template() {
    let Some(python) = external("VPCE_TEST_PYTHON") else {
        return;
    };
    let started = Instant::now();
    let work = tempfile::tempdir().unwrap();
    let built = build_all(work.path(), true);
    assert!(
        built.iter().any(has_dualstack_load_balancer),
        "no linted template has a dual-stack load balancer (V609's fixed example should)"
    );

    // One cfn-lint process per region (it is slow to start), each template linted
    // against the region it deploys to.
    let mut by_region: BTreeMap<&str, Vec<PathBuf>> = BTreeMap::new();
    for build in &built {
        for (path, region) in build.templates() {
            by_region.entry(region).or_default().push(path);
        }
    }
    let mut report = String::new();
    let mut errors = 0;
    let mut templates = 0;
    for (region, files) in &by_region {
        templates += files.len();
        for finding in cfn_lint(&python, region, files, work.path()) {
            errors += 1;
            report.push_str(&finding.text);
        }
    }

    // The YAML templates are the JSON ones, read with cfn-lint's own YAML loader.
    let mut same = Command::new(&python);
    same.arg(repo_root().join("tests/cfn/deploy.py"));
    for yaml in built.iter().filter(|b| b.format == Format::Yaml) {
        let json = built
            .iter()
            .find(|b| b.label == yaml.label && b.format == Format::Json)
            .unwrap();
        same.arg("--same-templates")
            .arg(&json.manifest_path)
            .arg(&yaml.manifest_path);
    }
    let (same_ok, same_log) = run_logged(
        &mut same,
        &work.path().join("same-templates.log"),
        CFN_LINT_TIMEOUT,
    );
    println!("{same_log}");
    println!(
        "cfn-lint: {templates} templates from {} builds, {errors} errors and warnings, {:.1} s",
        built.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        errors == 0,
        "cfn-lint reported {errors} errors and warnings:\n{report}"
    );
    assert!(
        same_ok,
        "the YAML templates do not parse to the JSON ones:\n{same_log}"
    );
}

/// Whether a JSON build has an `AWS::ElasticLoadBalancingV2::LoadBalancer` with
/// `IpAddressType: dualstack`, so that cfn-lint sees the property vpce emits for
/// `ip_address_type`.
fn has_dualstack_load_balancer(build: &Built) -> bool {
    build.format == Format::Json
        && build.templates().any(|(path, _)| {
            let template: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            template["Resources"]
                .as_object()
                .into_iter()
                .flat_map(|resources| resources.values())
                .any(|r| {
                    r["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer"
                        && r["Properties"]["IpAddressType"] == "dualstack"
                })
        })
}

#[test]
fn every_template_deploys_on_moto() {
    let Some(python) = external("VPCE_TEST_PYTHON") else {
        return;
    };
    let started = Instant::now();
    let work = tempfile::tempdir().unwrap();
    let built = build_all(work.path(), false);
    let moto = Moto::start(&python, work.path().join("moto.log"));
    let manifests: Vec<PathBuf> = built.iter().map(|b| b.manifest_path.clone()).collect();
    let (ok, log) = deploy_on_moto(&python, &moto, &manifests, &work.path().join("deploy.log"));
    println!("{log}");
    println!(
        "moto: {} builds deployed in {:.1} s",
        built.len(),
        started.elapsed().as_secs_f64()
    );
    if !ok {
        let tail = moto_log_tail(&moto);
        panic!("deploying on moto failed:\n{log}\nmoto's log (last 40 lines):\n{tail}");
    }
    drop(moto);
}

/// `deploy.py` passes a stack the parameters its manifest entry wires from an earlier
/// stack's outputs (`"parameters": [{"name", "from_stack", "output"}]`, how the
/// README's `build` section joins stacks across regions), and refuses a parameter nothing fills.
#[test]
fn deploy_py_wires_manifest_parameters_across_regions() {
    let Some(python) = external("VPCE_TEST_PYTHON") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let provider = serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {"VpcProvider": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.1.0.0/16"}}},
        "Outputs": {"VpcProviderId": {"Value": {"Ref": "VpcProvider"}}}
    });
    let consumer = serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"ProviderVpc": {"Type": "String"}},
        "Resources": {"VpcConsumer": {"Type": "AWS::EC2::VPC", "Properties": {
            "CidrBlock": "10.2.0.0/16",
            "Tags": [{"Key": "Provider", "Value": {"Ref": "ProviderVpc"}}]
        }}}
    });
    let stack = |name: &str, region: &str, outputs: usize| {
        serde_json::json!({"name": name, "file": format!("{name}.json"), "region": region,
            "depends_on": [], "parameters": [], "resources": 1, "outputs": outputs})
    };
    let mut wired = stack("consumer", "eu-west-1", 0);
    wired["depends_on"] = serde_json::json!(["provider"]);
    wired["parameters"] = serde_json::json!([
        {"name": "ProviderVpc", "from_stack": "provider", "output": "VpcProviderId"}
    ]);
    let mut unwired = stack("consumer", "eu-west-1", 0);
    unwired["depends_on"] = serde_json::json!(["provider"]);
    let builds = [("wired", wired), ("unwired", unwired)];
    let mut manifests = Vec::new();
    for (label, consumer_entry) in builds {
        let dir = work.path().join(label);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("provider.json"), provider.to_string()).unwrap();
        fs::write(dir.join("consumer.json"), consumer.to_string()).unwrap();
        let manifest = serde_json::json!({"format": "json",
            "stacks": [stack("provider", "us-east-1", 1), consumer_entry]});
        fs::write(dir.join("manifest.json"), manifest.to_string()).unwrap();
        manifests.push(dir.join("manifest.json"));
    }
    let moto = Moto::start(&python, work.path().join("moto.log"));
    let (ok, log) = deploy_on_moto(&python, &moto, &manifests, &work.path().join("deploy.log"));
    println!("{log}");
    assert!(!ok, "the unwired build must fail:\n{log}");
    let line = |label: &str| {
        log.lines()
            .find(|l| l.starts_with(&format!("== {label}:")))
            .unwrap_or_else(|| panic!("no report for {label}:\n{log}"))
            .to_string()
    };
    assert!(
        line("wired").contains(": ok") && line("wired").contains("2 stacks created"),
        "{log}"
    );
    assert!(line("unwired").contains("FAILED"), "{log}");
    assert!(
        log.contains("manifest wires parameters [], the template declares ['ProviderVpc']"),
        "{log}"
    );
}
