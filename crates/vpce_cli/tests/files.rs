//! What vpce writes survives kills, symlinks and files that are not what they seem: the
//! build directory always holds one complete build, and the state one complete state.

use std::{
    collections::BTreeMap,
    path::Path,
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use insta_cmd::get_cargo_bin;

const REPOSITORY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn vpce() -> Command {
    let mut command = Command::new(get_cargo_bin("vpce"));
    command.current_dir(REPOSITORY);
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("vpce runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A small deterministic generator (xorshift), so every run kills at the same delays.
struct Delays(u64);

impl Delays {
    fn next_below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound.max(1)
    }
}

/// Starts `command`, sends it SIGKILL after `delay` (if it is still running) and reaps it.
fn kill_after(command: &mut Command, delay: Duration) {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("vpce starts");
    std::thread::sleep(delay);
    let _ = child.kill();
    child.wait().unwrap();
}

// ---------------------------------------------------------------------------------
// The build directory
// ---------------------------------------------------------------------------------

/// Every regular file of `dir` by name, leaving out `except`.
fn files_of(dir: &Path, except: &[&str]) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| !except.contains(&e.file_name().to_str().unwrap()))
        .map(|e| {
            let name = e.file_name().into_string().unwrap();
            assert!(
                e.file_type().unwrap().is_file(),
                "`{name}` in {} is not a regular file",
                dir.display()
            );
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn build_into(config: &str, out: &Path) -> Output {
    run(vpce().args(["build", config, "-o"]).arg(out))
}

/// Three configurations whose builds differ: one stack, two other stacks, and the first
/// stack with other contents.
fn configurations() -> [String; 3] {
    [
        "examples/quickstart".into(),
        "examples/cross-region".into(),
        "crates/vpce_emit_plan/tests/data/quickstart-changed.hcl".into(),
    ]
}

/// What each configuration builds into an empty directory.
fn expected_builds(configs: &[String]) -> Vec<BTreeMap<String, Vec<u8>>> {
    configs
        .iter()
        .map(|config| {
            let out = tempfile::tempdir().unwrap();
            let output = build_into(config, out.path());
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            files_of(out.path(), &[])
        })
        .collect()
}

/// The entries of `parent` a build set aside (the only leftovers a killed build may leave).
fn set_aside(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with(".out.vpce-build-"))
        .collect()
}

/// `vpce build` killed at varying moments, alternating between configurations: after
/// every kill the directory holds exactly one configuration's build (every template the
/// manifest lists, as that configuration builds it, and nothing else) plus the user's
/// file; a killed build leaves at most a set-aside directory beside it, which the next
/// build removes.
#[test]
fn a_killed_build_leaves_the_old_build_or_the_new_one() {
    let configs = configurations();
    let expected = expected_builds(&configs);
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    std::fs::create_dir(out.join("drafts")).unwrap();
    std::fs::write(out.join("drafts/draft.json"), "{}").unwrap();

    let started = Instant::now();
    assert_eq!(build_into(&configs[0], &out).status.code(), Some(0));
    let full_run = started.elapsed().as_micros() as u64;

    let mut delays = Delays(0x9e37_79b9_7f4a_7c15);
    for round in 0..40 {
        let config = &configs[round % configs.len()];
        let delay = Duration::from_micros(delays.next_below(full_run * 5 / 4));
        kill_after(vpce().args(["build", config, "-o"]).arg(&out), delay);
        let found = files_of(&out, &["notes.txt", "drafts"]);
        assert!(
            expected.contains(&found),
            "round {round} ({config}, killed after {delay:?}): a mix of builds: {:?}",
            found.keys().collect::<Vec<_>>()
        );
        assert_eq!(std::fs::read(out.join("notes.txt")).unwrap(), b"mine");
        assert!(set_aside(parent.path()).len() <= 1, "round {round}");
    }

    let output = build_into(&configs[1], &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(files_of(&out, &["notes.txt", "drafts"]), expected[1]);
    assert_eq!(std::fs::read(out.join("notes.txt")).unwrap(), b"mine");
    assert_eq!(std::fs::read(out.join("drafts/draft.json")).unwrap(), b"{}");
    assert_eq!(set_aside(parent.path()), Vec::<String>::new());
}

/// A build replaces the previous one whole: templates of an earlier split go, files
/// vpce did not write stay.
#[test]
fn a_build_removes_the_previous_builds_templates_and_nothing_else() {
    let configs = configurations();
    let expected = expected_builds(&configs);
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("README.md"), "my notes").unwrap();
    std::fs::write(out.path().join("vpce-old.json"), "a template I keep").unwrap();
    for (config, build) in configs.iter().zip(&expected) {
        let output = build_into(config, out.path());
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let mut found = files_of(out.path(), &[]);
        assert_eq!(found.remove("README.md").unwrap(), b"my notes");
        assert_eq!(found.remove("vpce-old.json").unwrap(), b"a template I keep");
        assert!(
            &found == build,
            "{config}: {:?} is not its build",
            found.keys().collect::<Vec<_>>()
        );
    }
    // JSON to YAML: the JSON templates go.
    let output = run(vpce()
        .args(["build", &configs[0], "--format", "yaml", "-o"])
        .arg(out.path()));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let names: Vec<String> = files_of(out.path(), &[]).into_keys().collect();
    assert_eq!(
        names,
        ["README.md", "manifest.json", "vpce-old.json", "vpce.yaml"]
    );
}

/// vpce before this one wrote `.NAME.vpce-tmp-PID` beside each target, following a
/// symlink planted there: an overwrite of any file the user can write. Symlinks at every
/// name it could have used, and at the templates' own names, are never followed (and
/// the old names are removed as the leftovers they are).
#[test]
fn symlinks_planted_in_the_output_directory_are_not_followed() {
    // Process ids are handed out in turn: the build is one of the next few thousand,
    // unless the numbers wrap around meanwhile (then try again).
    for _attempt in 0..3 {
        let parent = tempfile::tempdir().unwrap();
        let victim = parent.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let out = parent.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::os::unix::fs::symlink(&victim, out.join("vpce.json")).unwrap();
        let mut probe = Command::new("true").spawn().unwrap();
        probe.wait().unwrap();
        let candidates = probe.id()..probe.id() + 3000;
        for pid in candidates.clone() {
            for name in ["vpce.json", "manifest.json"] {
                let planted = out.join(format!(".{name}.vpce-tmp-{pid}"));
                std::os::unix::fs::symlink(&victim, planted).unwrap();
            }
        }
        let child = vpce()
            .args(["build", "examples/quickstart", "-o"])
            .arg(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        let names: Vec<String> = files_of(&out, &[]).into_keys().collect();
        assert_eq!(names, ["manifest.json", "vpce.json"]);
        if candidates.contains(&pid) {
            return;
        }
    }
    panic!("the build never ran as one of the process ids planted for");
}

/// What a killed build set aside is emptied by the next one; a symlink made to look
/// like one is left alone, and so is what it points to.
#[test]
fn leftovers_of_a_killed_build_are_removed_and_look_alikes_are_not_followed() {
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("out");
    let killed = parent.path().join(".out.vpce-build-k1Lled");
    std::fs::create_dir(&killed).unwrap();
    std::fs::write(
        killed.join("manifest.json"),
        r#"{"format": "json", "stacks": [{"name": "vpce", "file": "vpce.json"}]}"#,
    )
    .unwrap();
    std::fs::write(killed.join("vpce.json"), "{\"half\": ").unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(
        elsewhere.path().join("manifest.json"),
        r#"{"stacks": [{"file": "keep.json"}]}"#,
    )
    .unwrap();
    std::fs::write(elsewhere.path().join("keep.json"), "kept").unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), parent.path().join(".out.vpce-build-evil"))
        .unwrap();

    let output = build_into("examples/quickstart", &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!killed.exists());
    assert_eq!(set_aside(parent.path()), [".out.vpce-build-evil"]);
    assert_eq!(
        std::fs::read_to_string(elsewhere.path().join("keep.json")).unwrap(),
        "kept"
    );
    assert!(elsewhere.path().join("manifest.json").exists());
}

/// `-o` names a directory; an existing file there is refused, untouched.
#[test]
fn build_into_a_file_says_o_takes_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cfn.json");
    std::fs::write(&file, "mine").unwrap();
    let output = build_into("examples/quickstart", &file);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is a file: `-o` takes a directory"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

/// `-o LINK` where LINK is a symlink to a directory: the directory is written, the
/// link stays.
#[test]
fn a_symlinked_output_directory_stays_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let link = dir.path().join("cfn");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let output = build_into("examples/quickstart", &link);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(real.join("vpce.json").is_file());
}

// ---------------------------------------------------------------------------------
// The state
// ---------------------------------------------------------------------------------

const QUICKSTART: &str = "examples/quickstart";
const QUICKSTART_CHANGED: &str = "crates/vpce_emit_plan/tests/data/quickstart-changed.hcl";

/// Runs `vpce ARGS` within 1 GiB of address space and 20 seconds: a state that is read
/// forever ends as a failure of the test, not of the machine.
fn vpce_limited(args: &[&std::ffi::OsStr]) -> Output {
    let started = Instant::now();
    let output = run(Command::new("timeout")
        .current_dir(REPOSITORY)
        .args(["20", "sh", "-c", "ulimit -v 1048576 && exec \"$0\" \"$@\""])
        .arg(get_cargo_bin("vpce"))
        .args(args));
    assert!(started.elapsed() < Duration::from_secs(20), "{args:?} hung");
    output
}

fn os(text: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(text)
}

/// `--state /dev/zero` read until memory ran out, and a FIFO until something wrote to
/// it; a state larger than any vpce writes was read whole. Each is a clear exit-2 error,
/// and `apply` leaves no lock beside it.
#[test]
fn a_state_that_is_not_a_regular_file_of_sane_size_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("state.fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let huge = dir.path().join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len((256 << 20) + 1)
        .unwrap();
    let cases = [
        (
            Path::new("/dev/zero"),
            "is not a regular file (it is a device)",
        ),
        (fifo.as_path(), "is not a regular file (it is a FIFO)"),
        (dir.path(), "is not a regular file (it is a directory)"),
        (huge.as_path(), "is larger than 256 MiB"),
    ];
    for (state, expected) in cases {
        for command in ["plan", "apply"] {
            let output = vpce_limited(&[
                os(command),
                os(QUICKSTART),
                os("--state"),
                state.as_os_str(),
            ]);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{command} {state:?}: {}",
                stderr(&output)
            );
            assert!(
                stderr(&output).contains(expected),
                "{command}: {}",
                stderr(&output)
            );
        }
    }
    assert!(!dir.path().join("state.fifo.lock").exists());
    assert!(!dir.path().join("huge.json.lock").exists());
}

/// A state that is a symlink is written through: the target gets the new state, the
/// link stays. A symlink to nothing is refused, not read as "nothing deployed".
#[test]
fn a_symlinked_state_is_written_through_and_a_dangling_one_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("states")).unwrap();
    let target = dir.path().join("states/prod.json");
    let link = dir.path().join("state.json");
    std::os::unix::fs::symlink("states/prod.json", &link).unwrap();

    // Dangling: refused by plan and apply, nothing created.
    for command in ["plan", "apply"] {
        let output = run(vpce().args([command, QUICKSTART, "--state"]).arg(&link));
        assert_eq!(
            output.status.code(),
            Some(2),
            "{command}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("is a symlink to `states/prod.json`, which does not exist"),
            "{}",
            stderr(&output)
        );
        assert!(!target.exists());
    }

    std::fs::write(&target, "").unwrap();
    std::fs::remove_file(&target).unwrap();
    // Through the link: apply twice, the link stays a link to the written state.
    let first = run(vpce()
        .args(["apply", QUICKSTART, "--state"])
        .arg(dir.path().join("states/prod.json")));
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let second = run(vpce()
        .args(["apply", QUICKSTART_CHANGED, "--state"])
        .arg(&link));
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(state["serial"], 2);
    assert!(!dir.path().join("states/prod.json.lock").exists());
    assert!(!dir.path().join("state.json.lock").exists());
}

/// The serial never wraps: a state at the largest serial is refused, untouched.
#[test]
fn a_state_at_the_largest_serial_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let first = run(vpce().args(["apply", QUICKSTART, "--state"]).arg(&state));
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let mut recorded: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    recorded["serial"] = u64::MAX.into();
    let text = serde_json::to_string_pretty(&recorded).unwrap();
    std::fs::write(&state, &text).unwrap();
    let output = run(vpce()
        .args(["apply", QUICKSTART_CHANGED, "--state"])
        .arg(&state));
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output)
            .contains("is at serial 18446744073709551615, the largest vpce can count to"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("internal error"));
    assert_eq!(std::fs::read_to_string(&state).unwrap(), text);
}

fn this_host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap()
        .trim()
        .to_string()
}

/// A process id that ran and is gone.
fn finished_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    child.wait().unwrap();
    child.id()
}

/// `vpce unlock` removes a lock whose process is gone and refuses one whose process
/// runs, one from another host and one that names no process, unless `--force`.
#[test]
fn unlock_removes_a_stale_lock_and_refuses_a_live_or_foreign_one() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let lock = dir.path().join("state.json.lock");
    let unlock = |force: bool| {
        let mut command = vpce();
        command.args(["unlock", "--state"]).arg(&state);
        if force {
            command.arg("--force");
        }
        run(&mut command)
    };

    let none = unlock(false);
    assert_eq!(none.status.code(), Some(0));
    assert!(stderr(&none).contains("is not locked"), "{}", stderr(&none));

    let mut sleeper = Command::new("sleep").arg("30").spawn().unwrap();
    let host = this_host();
    let refused = [
        (
            format!(r#"{{"pid": {}, "host": "{host}", "created": "2030-01-01T00:00:00Z"}}"#, sleeper.id()),
            format!("is held by pid {} on host `{host}`, since 2030-01-01T00:00:00Z, which is still running", sleeper.id()),
        ),
        (
            r#"{"pid": 7, "host": "build-agent-9"}"#.to_string(),
            format!("was taken by pid 7 on host `build-agent-9`, not on this host (`{host}`)"),
        ),
        ("garbage".to_string(), "does not say which process holds it".to_string()),
    ];
    for (content, expected) in &refused {
        std::fs::write(&lock, content).unwrap();
        let output = unlock(false);
        assert_eq!(output.status.code(), Some(2), "{content}");
        assert!(
            stderr(&output).contains(expected.as_str()),
            "{}",
            stderr(&output)
        );
        assert!(stderr(&output).contains("--force"), "{}", stderr(&output));
        assert_eq!(
            std::fs::read_to_string(&lock).unwrap(),
            *content,
            "untouched"
        );
        let forced = unlock(true);
        assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
        assert!(!lock.exists());
    }
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();

    let stale = format!(
        r#"{{"pid": {}, "host": "{host}", "created": "2020-01-01T00:00:00Z"}}"#,
        finished_pid()
    );
    std::fs::write(&lock, &stale).unwrap();
    let output = unlock(false);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("removed the lock"),
        "{}",
        stderr(&output)
    );
    assert!(!lock.exists());
}

/// `vpce apply` killed at varying moments, alternating between two configurations: the
/// state is always the previous one or exactly what an uninterrupted apply makes of it,
/// and a lock left behind is removed by `vpce unlock`, after which the next apply runs.
#[test]
fn a_killed_apply_leaves_the_old_state_or_the_new_one_and_a_removable_lock() {
    let configs = [QUICKSTART, QUICKSTART_CHANGED];
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let lock = dir.path().join("state.json.lock");
    let scratch = tempfile::tempdir().unwrap();
    let scratch_state = scratch.path().join("state.json");
    let started = Instant::now();
    let first = run(vpce().args(["apply", configs[0], "--state"]).arg(&state));
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let full_run = started.elapsed().as_micros() as u64;

    let mut delays = Delays(0x2545_f491_4f6c_dd1d);
    let mut changed = 0;
    for round in 0..25 {
        let config = configs[(round + 1) % 2];
        let old = std::fs::read(&state).unwrap();
        // What this apply makes of this state when it is not interrupted.
        std::fs::write(&scratch_state, &old).unwrap();
        let output = run(vpce()
            .args(["apply", config, "--state"])
            .arg(&scratch_state));
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let new = std::fs::read(&scratch_state).unwrap();

        let delay = Duration::from_micros(delays.next_below(full_run * 5 / 4));
        kill_after(vpce().args(["apply", config, "--state"]).arg(&state), delay);
        let now = std::fs::read(&state).unwrap();
        assert!(
            now == old || now == new,
            "round {round} (killed after {delay:?}): neither the old state nor the new one"
        );
        changed += usize::from(now == new);
        if lock.exists() {
            let output = run(vpce().args(["unlock", "--state"]).arg(&state));
            assert_eq!(
                output.status.code(),
                Some(0),
                "round {round}: {}",
                stderr(&output)
            );
            assert!(!lock.exists());
        }
    }
    assert!(
        changed > 0 && changed < 25,
        "the kills all came too early or too late: {changed} of 25 applied"
    );

    let output = run(vpce().args(["apply", configs[0], "--state"]).arg(&state));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        names,
        ["state.json"],
        "no lock and no temporary file is left"
    );
}
