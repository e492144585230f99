//! `vpce fmt`: which files it finds, what it writes and how, its exit codes.

use std::{
    fs,
    io::Write,
    os::unix::fs::{MetadataExt, PermissionsExt},
    path::Path,
    process::{Command, Output, Stdio},
};

use insta_cmd::get_cargo_bin;

const MESSY: &str = "vpc \"main\" {\ncidr=\"10.0.0.0/16\"\n    dns_hostnames = true\n}\nsubnet \"a\" {\n  vpc = vpc.main\n}\n";
const TIDY: &str = "vpc \"main\" {\n  cidr          = \"10.0.0.0/16\"\n  dns_hostnames = true\n}\n\nsubnet \"a\" {\n  vpc = vpc.main\n}\n";
const BROKEN: &str = "vpc \"main\" {\n  cidr \"10.0.0.0/16\"\n}\n";

fn vpce(dir: &Path) -> Command {
    let mut command = Command::new(get_cargo_bin("vpce"));
    command
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "80");
    command
}

fn run(dir: &Path, args: &[&str]) -> Output {
    vpce(dir).args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// `tidy.hcl`, `messy.hcl`, a module `modules/app/main.hcl` (messy), a hidden
/// directory's file and a file that is not `.hcl` (both messy, both left alone).
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("net");
    fs::create_dir_all(root.join("modules/app")).unwrap();
    fs::create_dir_all(root.join(".cache")).unwrap();
    fs::write(root.join("tidy.hcl"), TIDY).unwrap();
    fs::write(root.join("messy.hcl"), MESSY).unwrap();
    fs::write(root.join("modules/app/main.hcl"), MESSY).unwrap();
    fs::write(root.join(".cache/old.hcl"), MESSY).unwrap();
    fs::write(root.join("notes.txt"), MESSY).unwrap();
    dir
}

#[test]
fn every_example_is_formatted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let output = run(&root, &["fmt", "--check", "examples"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "run `vpce fmt examples`:\n{}",
        stdout(&output)
    );
    assert_eq!(stdout(&output), "");
}

#[test]
fn check_names_the_files_that_would_change_writes_nothing_and_exits_1() {
    let dir = workspace();
    let output = run(dir.path(), &["fmt", "--check", "net"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(stdout(&output), "net/messy.hcl\nnet/modules/app/main.hcl\n");
    assert_eq!(
        fs::read_to_string(dir.path().join("net/messy.hcl")).unwrap(),
        MESSY
    );
    // A tidy file alone passes.
    let output = run(dir.path(), &["fmt", "--check", "net/tidy.hcl"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");
}

#[test]
fn fmt_rewrites_what_changes_lists_it_and_a_second_run_finds_nothing() {
    let dir = workspace();
    let net = dir.path().join("net");
    let tidy_inode = fs::metadata(net.join("tidy.hcl")).unwrap().ino();
    let output = run(dir.path(), &["fmt", "net"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "net/messy.hcl\nnet/modules/app/main.hcl\n");
    for file in ["messy.hcl", "modules/app/main.hcl", "tidy.hcl"] {
        assert_eq!(fs::read_to_string(net.join(file)).unwrap(), TIDY, "{file}");
    }
    // Files that were tidy are not touched at all; hidden directories and other
    // extensions are not searched.
    assert_eq!(
        fs::metadata(net.join("tidy.hcl")).unwrap().ino(),
        tidy_inode
    );
    assert_eq!(
        fs::read_to_string(net.join(".cache/old.hcl")).unwrap(),
        MESSY
    );
    assert_eq!(fs::read_to_string(net.join("notes.txt")).unwrap(), MESSY);
    let output = run(dir.path(), &["fmt", "--check", "net"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");
}

#[test]
fn writes_are_atomic_keep_permissions_and_go_through_symlinks() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.hcl");
    fs::write(&real, MESSY).unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("real.hcl", dir.path().join("link.hcl")).unwrap();
    let inode = fs::metadata(&real).unwrap().ino();
    let output = run(dir.path(), &["fmt", "link.hcl"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(fs::read_to_string(&real).unwrap(), TIDY);
    // Replaced by a rename (a new inode), not rewritten in place, with its mode; the
    // link stays a link; no temporary file is left.
    let metadata = fs::metadata(&real).unwrap();
    assert_ne!(metadata.ino(), inode);
    assert_eq!(metadata.permissions().mode() & 0o777, 0o640);
    assert!(fs::symlink_metadata(dir.path().join("link.hcl"))
        .unwrap()
        .file_type()
        .is_symlink());
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["link.hcl", "real.hcl"]);
}

#[test]
fn diff_prints_a_unified_diff() {
    let dir = workspace();
    let output = run(dir.path(), &["fmt", "--check", "--diff", "net/messy.hcl"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&output));
    assert_eq!(
        fs::read_to_string(dir.path().join("net/messy.hcl")).unwrap(),
        MESSY
    );
    // Without --check the diff is shown and the file written.
    let output = run(dir.path(), &["fmt", "--diff", "net/messy.hcl"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("--- net/messy.hcl\n+++ net/messy.hcl\n"));
    assert_eq!(
        fs::read_to_string(dir.path().join("net/messy.hcl")).unwrap(),
        TIDY
    );
}

fn with_stdin(args: &[&str], input: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut child = vpce(dir.path())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_dash_formats_standard_input_onto_standard_output() {
    let output = with_stdin(&["fmt", "-"], MESSY);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), TIDY);
    let output = with_stdin(&["fmt", "--check", "-"], MESSY);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    let output = with_stdin(&["fmt", "--check", "-"], TIDY);
    assert_eq!(output.status.code(), Some(0));
    let output = with_stdin(&["fmt", "-"], BROKEN);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "", "nothing half-formatted is printed");
    assert!(
        stderr(&output).contains("<stdin>:2:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_file_that_does_not_parse_gets_its_diagnostic_is_left_alone_and_exits_2() {
    let dir = workspace();
    let net = dir.path().join("net");
    fs::write(net.join("broken.hcl"), BROKEN).unwrap();
    let output = run(dir.path(), &["fmt", "--color", "never", "net"]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(stderr(&output));
    assert_eq!(fs::read_to_string(net.join("broken.hcl")).unwrap(), BROKEN);
    // The other files were still formatted.
    assert_eq!(fs::read_to_string(net.join("messy.hcl")).unwrap(), TIDY);
}

#[test]
fn missing_paths_empty_directories_and_bad_bytes_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("empty")).unwrap();
    fs::write(dir.path().join("latin1.hcl"), b"# caf\xe9\n").unwrap();
    for (args, message) in [
        (&["fmt", "nothing"][..], "`nothing` does not exist"),
        (&["fmt", "empty"][..], "`empty` has no `.hcl` files"),
        (&["fmt", "latin1.hcl"][..], "not valid UTF-8"),
        (&["fmt"][..], "required"),
    ] {
        let output = run(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}
