//! The CloudFormation backend against the real tools, as DESIGN.md requires: every
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
    fs::{self, File},
    net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

use serde_json::Value;
use vpce_tests::{hcl_block_after, repo_root, sorted_entries};

/// Whole-run bounds: a hung tool fails the test instead of hanging it.
const CFN_LINT_TIMEOUT: Duration = Duration::from_secs(300);
const DEPLOY_TIMEOUT: Duration = Duration::from_secs(300);
const MOTO_START_TIMEOUT: Duration = Duration::from_secs(30);

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

/// The `vpce` binary, built first: `cargo test -p vpce_tests` does not build other
/// packages' binaries, and a stale one would test an old emitter.
fn vpce_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // This test runs as target/<profile>/deps/cfn-HASH.
        let exe = std::env::current_exe().unwrap();
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("the test binary lives in target/<profile>/deps")
            .to_path_buf();
        let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") => "dev".to_string(),
            Some(name) => name.to_string(),
            None => panic!("no profile directory above {}", exe.display()),
        };
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "-p", "vpce_cli", "--bin", "vpce"])
            .args(["--profile", &profile])
            .env("CARGO_TARGET_DIR", profile_dir.parent().unwrap())
            .current_dir(repo_root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the `vpce` binary failed");
        let binary = profile_dir.join(format!("vpce{}", std::env::consts::EXE_SUFFIX));
        assert!(
            binary.is_file(),
            "`cargo build -p vpce_cli` did not produce {}",
            binary.display()
        );
        binary
    })
}

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
        write(format!("docs-{}", &name[..4]), fixed, None);
        pages += 1;
    }
    assert!(pages >= 27, "found {pages} rule pages");
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

/// Runs a command to completion within `timeout`, its output going to `log`.
fn run_logged(command: &mut Command, log: &Path, timeout: Duration) -> (bool, String) {
    let file = File::create(log).unwrap();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let text = fs::read_to_string(log).unwrap_or_default();
    match status {
        Some(status) => (status.success(), text),
        None => (false, format!("{text}\n(killed after {timeout:?})")),
    }
}

/// Lines `start..=end` (1-based) of a file, for showing a finding in its template.
fn excerpt(path: &Path, start: u64, end: u64) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let (start, end) = (start.max(1) as usize, end.max(start) as usize);
    let end = end.min(start + 11);
    text.lines()
        .enumerate()
        .skip(start - 1)
        .take(end - start + 1)
        .map(|(i, line)| format!("      {:>5} | {line}\n", i + 1))
        .collect()
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
        let mut command = Command::new(&python);
        command
            .args([
                "-c",
                "import sys; from cfnlint.runner import main; sys.exit(main())",
            ])
            .args(["--format", "json", "--regions", region, "--"])
            .args(files);
        // The JSON goes to stdout; warnings of its own to stderr.
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run cfn-lint: {e}"));
        let output = wait_with_timeout(child, CFN_LINT_TIMEOUT);
        let stdout = String::from_utf8_lossy(&output.0);
        let findings: Vec<Value> = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "cfn-lint ({region}) did not print a JSON list ({e}):\n{stdout}\n{}",
                String::from_utf8_lossy(&output.1)
            )
        });
        for finding in &findings {
            let level = finding["Level"].as_str().unwrap_or("?");
            if level == "Informational" {
                continue;
            }
            errors += 1;
            let file = PathBuf::from(finding["Filename"].as_str().unwrap_or("?"));
            let start = &finding["Location"]["Start"];
            let end = &finding["Location"]["End"];
            let line = start["LineNumber"].as_u64().unwrap_or(0);
            let _ = writeln!(
                report,
                "{}:{}:{}: {} {} {}\n      at {}",
                file.strip_prefix(work.path()).unwrap_or(&file).display(),
                line,
                start["ColumnNumber"],
                level,
                finding["Rule"]["Id"].as_str().unwrap_or("?"),
                finding["Message"].as_str().unwrap_or("?"),
                finding["Location"]["Path"],
            );
            report.push_str(&excerpt(
                &file,
                line,
                end["LineNumber"].as_u64().unwrap_or(line),
            ));
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

/// `(stdout, stderr)` of a child, killed after `timeout`.
fn wait_with_timeout(mut child: Child, timeout: Duration) -> (Vec<u8>, Vec<u8>) {
    use std::io::Read;
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    // Drain both pipes on threads so a chatty child never blocks.
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + timeout;
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("killed after {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (out.join().unwrap(), err.join().unwrap())
}

/// A moto server on 127.0.0.1, killed (by its process id) and reaped when dropped.
struct Moto {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Moto {
    fn start(python: &str, log: PathBuf) -> Moto {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let file = File::create(&log).unwrap();
        let child = Command::new(python)
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start moto: {e}"));
        let mut moto = Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + MOTO_START_TIMEOUT;
        loop {
            if let Some(status) = moto.child.try_wait().unwrap() {
                panic!("moto exited ({status}) before answering:\n{}", moto.log());
            }
            if TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_ok() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "moto did not answer on {} within {MOTO_START_TIMEOUT:?}:\n{}",
                moto.url,
                moto.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        println!("moto: pid {} on {}", moto.child.id(), moto.url);
        moto
    }

    fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
    let mut deploy = Command::new(&python);
    deploy
        .arg(repo_root().join("tests/cfn/deploy.py"))
        .args(["--endpoint", &moto.url])
        .env("PYTHONUNBUFFERED", "1");
    for build in &built {
        deploy.arg("--manifest").arg(&build.manifest_path);
    }
    let (ok, log) = run_logged(&mut deploy, &work.path().join("deploy.log"), DEPLOY_TIMEOUT);
    println!("{log}");
    println!(
        "moto: {} builds deployed in {:.1} s",
        built.len(),
        started.elapsed().as_secs_f64()
    );
    if !ok {
        let server = moto.log();
        let errors: Vec<&str> = server
            .lines()
            .filter(|l| !l.starts_with("127.0.0.1 - -"))
            .collect();
        let tail = errors[errors.len().saturating_sub(40)..].join("\n");
        panic!("deploying on moto failed:\n{log}\nmoto's log (last 40 lines):\n{tail}");
    }
    drop(moto);
}
