//! Hostile inputs, each a reproducer of a broken promise: vpce ends every one with
//! exit 0, 1 or 2 and a diagnostic or a clear error, within a 1 GiB address space and a
//! time limit, never with a panic, an abort or a hang.

use std::{
    path::Path,
    process::{Command, Output},
    time::{Duration, Instant},
};

use insta_cmd::get_cargo_bin;

/// The address space every run gets: what a CI runner or a small container has.
const ADDRESS_SPACE_KIB: u64 = 1 << 20;
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// Runs `vpce ARGS` under the address-space limit (`ulimit -v`) and a time limit.
fn vpce_limited(args: &[&str]) -> Output {
    let script = format!("ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\"");
    let started = Instant::now();
    let output = Command::new("timeout")
        .arg(TIME_LIMIT.as_secs().to_string())
        .args(["sh", "-c", &script])
        .arg(get_cargo_bin("vpce"))
        .args(args)
        .output()
        .expect("runs");
    assert!(
        started.elapsed() < TIME_LIMIT,
        "vpce {args:?} ran into the time limit"
    );
    output
}

/// The run ended as vpce promises, and says what it says on stdout and stderr.
fn ended_well(args: &[&str]) -> (i32, String) {
    let output = vpce_limited(args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let code = output.status.code().unwrap_or_else(|| {
        panic!("vpce {args:?} was killed by a signal:\n{stderr}");
    });
    assert!(
        [0, 1, 2].contains(&code),
        "vpce {args:?} exited {code}:\n{stdout}\n{stderr}"
    );
    for text in [&stdout, &stderr] {
        assert!(
            !text.contains("panicked") && !text.contains("RUST_BACKTRACE"),
            "vpce {args:?} panicked:\n{text}"
        );
    }
    (code, format!("{stdout}{stderr}"))
}

fn write(dir: &Path, text: &str) -> String {
    let path = dir.join("main.hcl");
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// Builds local number `i` from local `i - 1`.
type Step = fn(usize) -> String;

/// Unused locals, each built from the previous one twice: 40 doublings of 32 bytes
/// would be 32 TiB. Each shape of growth is stopped by V115, naming the expression.
#[test]
fn values_that_double_are_refused_with_v115() {
    let shapes: [(&str, Step); 6] = [
        ("template", |i| {
            format!("\"${{local.a{0}}}${{local.a{0}}}\"", i - 1)
        }),
        ("format", |i| {
            format!("format(\"%s%s\", local.a{0}, local.a{0})", i - 1)
        }),
        ("join", |i| {
            format!("join(\"\", [local.a{0}, local.a{0}])", i - 1)
        }),
        ("concat", |i| {
            format!("concat(local.l{0}, local.l{0})", i - 1)
        }),
        ("object", |i| {
            format!("{{ x = local.o{0}, y = local.o{0} }}", i - 1)
        }),
        ("jsonencode", |i| {
            format!("jsonencode([local.a{0}, local.a{0}])", i - 1)
        }),
    ];
    for (shape, next) in shapes {
        let dir = tempfile::tempdir().unwrap();
        let prefix = match shape {
            "concat" => "l",
            "object" => "o",
            _ => "a",
        };
        let mut text = String::from("region = \"eu-west-1\"\nlocals {\n");
        text.push_str(&match prefix {
            "l" => "  l0 = [\"xxxxxxxxxxxxxxxx\", \"yyyyyyyyyyyyyyyy\"]\n".to_string(),
            "o" => "  o0 = { k = \"xxxxxxxxxxxxxxxx\" }\n".to_string(),
            _ => "  a0 = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n".to_string(),
        });
        for i in 1..=40 {
            text.push_str(&format!("  {prefix}{i} = {}\n", next(i)));
        }
        text.push_str("}\n");
        let path = write(dir.path(), &text);
        let (code, output) = ended_well(&["check", &path]);
        assert_eq!(code, 1, "{shape}:\n{output}");
        assert!(output.contains("V115"), "{shape}:\n{output}");
        assert_eq!(
            output.matches("V115").count(),
            1,
            "{shape}: one cause, one diagnostic:\n{output}"
        );
    }
}

/// `file()` of a FIFO would block forever: only regular files are read.
#[test]
fn file_of_a_fifo_is_refused_not_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("policy.json");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let path = write(
        dir.path(),
        "region = \"eu-west-1\"\nlocals {\n  p = file(\"policy.json\")\n}\n",
    );
    let (code, output) = ended_well(&["check", &path]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("V112") && output.contains("not a regular file"),
        "{output}"
    );
}
