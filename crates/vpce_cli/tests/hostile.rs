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

/// A megabyte of text where a service name goes: did-you-mean compares it by length,
/// not character by character (it took a minute).
#[test]
fn a_huge_name_gets_its_diagnostic_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        &format!(
            "region = \"eu-west-1\"\nvpc \"main\" {{\n  cidr = \"10.0.0.0/16\"\n}}\nsubnet \"a\" {{\n  vpc  = vpc.main\n  az   = \"euw1-az1\"\n  cidr = \"10.0.1.0/24\"\n}}\nexpect \"x\" {{\n  from = subnet.a\n  to   = \"{}\"\n}}\n",
            "q".repeat(1 << 20)
        ),
    );
    let (code, output) = ended_well(&["check", &path]);
    assert_eq!(code, 1, "{}", &output[..output.len().min(2000)]);
    assert!(
        output.contains("V108"),
        "{}",
        &output[..output.len().min(2000)]
    );
}

/// Terminal escapes and bidirectional overrides from the input never reach the
/// terminal: messages show them escaped, source excerpts as `?`.
#[test]
fn escapes_from_the_input_are_not_printed_raw() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "region = \"eu-\u{1b}[31mwest\u{1b}]0;pwned\u{7}\u{202e}-1\"\n",
    );
    let (code, output) = ended_well(&["check", &path]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("V114"), "{output}");
    for c in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!output.contains(c), "{c:?} printed raw:\n{output:?}");
    }
    assert!(output.contains("\\u{1b}"), "{output}");
}

/// Every `*.hcl` entry of the directory is part of the configuration: one vpce cannot
/// read is an error (exit 2) that names it, never silently left out.
#[test]
fn unreadable_hcl_entries_are_named_not_skipped() {
    use std::os::unix::ffi::OsStrExt;
    let quickstart = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/quickstart/main.hcl"
    );
    type Plant = fn(&Path);
    let cases: [(&str, Plant); 3] = [
        ("dangling symlink", |dir| {
            std::os::unix::fs::symlink("/nonexistent", dir.join("extra.hcl")).unwrap();
        }),
        ("directory", |dir| {
            std::fs::create_dir(dir.join("more.hcl")).unwrap()
        }),
        ("non-UTF-8 name", |dir| {
            let name = std::ffi::OsStr::from_bytes(b"caf\xe9.hcl");
            std::fs::write(dir.join(name), "").unwrap();
        }),
    ];
    for (what, plant) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(quickstart, dir.path().join("main.hcl")).unwrap();
        plant(dir.path());
        let (code, output) = ended_well(&["check", &dir.path().to_string_lossy()]);
        assert_eq!(code, 2, "{what}: {output}");
        assert!(output.contains("cannot read"), "{what}: {output}");
    }
}

/// Integers past 2^53 would silently become other numbers: V104. `--traffic-gb` past
/// an exabyte is refused by the flag (the cost estimate overflowed).
#[test]
fn numbers_vpce_cannot_hold_exactly_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "region = \"eu-west-1\"\nlocals {\n  exact = 9007199254740992\n  rounded = 18446744073709551617\n}\n",
    );
    let (code, output) = ended_well(&["check", &path]);
    assert_eq!(code, 1, "{output}");
    assert_eq!(output.matches("V104").count(), 1, "{output}");
    assert!(output.contains("main.hcl:4:"), "{output}");
    let quickstart = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/quickstart");
    let (code, output) = ended_well(&["plan", quickstart, "--traffic-gb", "18446744073709551615"]);
    assert_eq!(code, 2, "{output}");
}

/// An object of 200,000 keys (4 MB) took minutes to parse (hcl-edit looks each key up
/// among the previous ones): it is refused before parsing, at its brace.
#[test]
fn an_object_of_too_many_keys_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("region = \"eu-west-1\"\nlocals {\n  o = {\n");
    for i in 0..200_000 {
        text.push_str(&format!("    k{i} = {i}\n"));
    }
    text.push_str("  }\n}\n");
    let path = write(dir.path(), &text);
    let (code, output) = ended_well(&["check", &path]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("V100") && output.contains("main.hcl:3:7"),
        "{output}"
    );
}

/// A chain of `for_each` blocks that each iterate the previous one: keys are computed
/// recursively, so a long chain must neither overflow the stack nor take quadratic time.
#[test]
fn a_long_chain_of_for_each_blocks_expands() {
    let mut text = String::from(
        "region = \"eu-west-1\"\nvpc \"main\" {\n  cidr = \"10.0.0.0/16\"\n}\nroute_table \"g0\" {\n  for_each = [\"a\"]\n  vpc      = vpc.main\n}\n",
    );
    for i in 1..20_000 {
        text.push_str(&format!(
            "route_table \"g{i}\" {{\n  for_each = route_table.g{}\n  vpc      = vpc.main\n}}\n",
            i - 1
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &text);
    let (code, said) = ended_well(&["check", &path]);
    assert_eq!(code, 0, "{said}");
}

/// Makes the module directory `linked` in a configuration (the second path is outside it).
type MakeModule = fn(&Path, &Path);

/// A module's directory and files are read like the configuration's: a directory that
/// links outside the configuration, a FIFO among its `*.hcl` files, a module that calls
/// itself are V117 at the `module` block, never a read outside, a wait or a loop.
#[test]
fn module_directories_are_confined_and_never_waited_for() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("main.hcl"), "variable \"x\" {}\n").unwrap();
    let cases: [(&str, MakeModule, &str); 3] = [
        (
            "a symlink out of the configuration",
            |dir, outside| {
                std::os::unix::fs::symlink(outside, dir.join("linked")).unwrap();
            },
            "links outside the configuration directory",
        ),
        (
            "a FIFO",
            |dir, _| {
                std::fs::create_dir(dir.join("linked")).unwrap();
                let fifo = dir.join("linked/main.hcl");
                assert!(Command::new("mkfifo")
                    .arg(&fifo)
                    .status()
                    .unwrap()
                    .success());
            },
            // (wrapped by the renderer after "regular")
            "not a regular",
        ),
        (
            "a module that calls itself",
            |dir, _| {
                std::fs::create_dir(dir.join("linked")).unwrap();
                let call = "module \"again\" {\n  source = \".\"\n}\n";
                std::fs::write(dir.join("linked/main.hcl"), call).unwrap();
            },
            "makes a cycle of modules",
        ),
    ];
    for (what, make, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        make(dir.path(), outside.path());
        let path = write(
            dir.path(),
            "region = \"eu-west-1\"\nmodule \"m\" {\n  source = \"./linked\"\n}\n",
        );
        let (code, output) = ended_well(&["check", &path]);
        assert_eq!(code, 1, "{what}: {output}");
        assert!(
            output.contains("V117") && output.contains(expected),
            "{what}: {output}"
        );
    }
}
