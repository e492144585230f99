//! The external tools the CloudFormation tests drive: the `vpce` binary, cfn-lint and
//! a moto server (see `tests/cfn/README.md`). Shared by `tests/cfn.rs` (every template
//! the tests produce) and `tests/realworld.rs` (the real-world corpus).

use std::{
    fmt::Write as _,
    fs::{self, File},
    net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

use serde_json::Value;

use crate::repo_root;

/// Whole-run bounds: a hung tool fails the test instead of hanging it.
pub const CFN_LINT_TIMEOUT: Duration = Duration::from_secs(300);
pub const DEPLOY_TIMEOUT: Duration = Duration::from_secs(300);
const MOTO_START_TIMEOUT: Duration = Duration::from_secs(30);

/// The external tool (a path) that `var` names: in CI (`CI` set) its absence is a
/// failure; locally the test prints `SKIPPED` and passes.
pub fn external(var: &str) -> Option<String> {
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
pub fn vpce_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // A test runs as target/<profile>/deps/NAME-HASH.
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

/// Runs a command to completion within `timeout`, its output going to `log`.
pub fn run_logged(command: &mut Command, log: &Path, timeout: Duration) -> (bool, String) {
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
pub struct Moto {
    child: Child,
    pub url: String,
    log: PathBuf,
}

impl Moto {
    pub fn start(python: &str, log: PathBuf) -> Moto {
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

    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One cfn-lint finding other than `Informational`: the template it is in, and the
/// finding as a person reads it (file relative to `base`, line, rule, message, path in
/// the template and the template lines it points at).
pub struct LintFinding {
    pub file: PathBuf,
    pub text: String,
}

/// Lints `files` against `region` in one cfn-lint process (it is slow to start).
pub fn cfn_lint(python: &str, region: &str, files: &[PathBuf], base: &Path) -> Vec<LintFinding> {
    let mut command = Command::new(python);
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
    let mut out = Vec::new();
    for finding in &findings {
        let level = finding["Level"].as_str().unwrap_or("?");
        if level == "Informational" {
            continue;
        }
        let file = PathBuf::from(finding["Filename"].as_str().unwrap_or("?"));
        let start = &finding["Location"]["Start"];
        let end = &finding["Location"]["End"];
        let line = start["LineNumber"].as_u64().unwrap_or(0);
        let mut text = String::new();
        let _ = writeln!(
            text,
            "{}:{}:{}: {} {} {}\n      at {}",
            file.strip_prefix(base).unwrap_or(&file).display(),
            line,
            start["ColumnNumber"],
            level,
            finding["Rule"]["Id"].as_str().unwrap_or("?"),
            finding["Message"].as_str().unwrap_or("?"),
            finding["Location"]["Path"],
        );
        text.push_str(&excerpt(
            &file,
            line,
            end["LineNumber"].as_u64().unwrap_or(line),
        ));
        out.push(LintFinding { file, text });
    }
    out
}

/// Runs `tests/cfn/deploy.py` on the moto server over these builds' manifests, in
/// order; `(succeeded, its log)`. The log has one `== DIR: ok|FAILED` line per
/// manifest, DIR being the name of the manifest's directory, then its `FAIL` lines.
pub fn deploy_on_moto(
    python: &str,
    moto: &Moto,
    manifests: &[PathBuf],
    log: &Path,
) -> (bool, String) {
    let mut deploy = Command::new(python);
    deploy
        .arg(repo_root().join("tests/cfn/deploy.py"))
        .args(["--endpoint", &moto.url])
        .env("PYTHONUNBUFFERED", "1");
    for manifest in manifests {
        deploy.arg("--manifest").arg(manifest);
    }
    run_logged(&mut deploy, log, DEPLOY_TIMEOUT)
}

/// The last 40 lines of moto's own log that are not access lines, for a failure message.
pub fn moto_log_tail(moto: &Moto) -> String {
    let server = moto.log();
    let errors: Vec<&str> = server
        .lines()
        .filter(|l| !l.starts_with("127.0.0.1 - -"))
        .collect();
    errors[errors.len().saturating_sub(40)..].join("\n")
}
